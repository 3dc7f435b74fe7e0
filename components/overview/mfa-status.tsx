import Link from "next/link";
import { describePolicy, type MfaPolicy } from "@/lib/mfa/mfa-policy";
import type { MemberLackingMfa } from "@/lib/security-policy/list-members-lacking-mfa";
import { cardClass, linkClass } from "./card";

type Props = { slug: string; policy: string; lacking: { members: MemberLackingMfa[]; total: number }; mayManage: boolean };

/** The workspace's MFA policy and, by name, who it covers that has no second factor yet. */
export function MfaStatus({ slug, policy, lacking, mayManage }: Props) {
  const members = `/w/${slug}/members`;
  const more = lacking.total - lacking.members.length;
  return (
    <section aria-labelledby="mfa-status-heading" className={cardClass}>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="mfa-status-heading" className="text-lg font-semibold">
          Two-factor authentication
        </h2>
        {mayManage ? (
          <Link href={`/w/${slug}/security`} className={`text-sm ${linkClass}`}>
            Change the policy
          </Link>
        ) : null}
      </div>
      <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400" data-testid="mfa-policy">
        Policy: {describePolicy[policy as MfaPolicy] ?? policy}.
      </p>
      {policy === "none" ? (
        <p className="mt-3 text-sm">
          Nobody is held back for want of MFA.{" "}
          <Link href={`${members}?mfa=off`} className={linkClass}>
            See who has not set it up
          </Link>
        </p>
      ) : lacking.total === 0 ? (
        <p className="mt-3 text-sm text-emerald-700 dark:text-emerald-400">Everyone the policy covers has set up MFA.</p>
      ) : (
        <div className="mt-3 text-sm">
          <p>{lacking.total === 1 ? "1 member the policy covers has" : `${lacking.total} members the policy covers have`} not set up MFA and can use the workspace only after enrolling:</p>
          <ul className="mt-2 flex flex-wrap gap-2" data-testid="lacking-mfa">
            {lacking.members.map((m) => (
              <li key={m.userId}>
                <Link
                  href={`${members}?q=${encodeURIComponent(m.email)}`}
                  title={m.email}
                  className="inline-block max-w-full truncate rounded-full border border-zinc-300 px-2.5 py-0.5 hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
                >
                  {m.name} <span className="text-zinc-500 dark:text-zinc-400">· {m.role}</span>
                </Link>
              </li>
            ))}
          </ul>
          {more > 0 ? (
            <p className="mt-2">
              <Link href={`${members}?mfa=off`} className={linkClass}>
                And {more} more in Members
              </Link>
            </p>
          ) : null}
        </div>
      )}
    </section>
  );
}
