import { cardClass } from "./card";

/** The workspace in three numbers a person checks first. */
export function OverviewStats({ members, withMfa, role }: { members: number; withMfa: number; role: string }) {
  return (
    <dl className="grid gap-4 sm:grid-cols-3">
      <div className={cardClass}>
        <dt className="text-sm text-zinc-500 dark:text-zinc-400">Members</dt>
        <dd className="mt-1 text-2xl font-semibold" data-testid="member-count">{members}</dd>
      </div>
      <div className={cardClass}>
        <dt className="text-sm text-zinc-500 dark:text-zinc-400">Your role</dt>
        <dd className="mt-1 text-2xl font-semibold capitalize" data-testid="your-role">{role}</dd>
      </div>
      <div className={cardClass}>
        <dt className="text-sm text-zinc-500 dark:text-zinc-400">Members using MFA</dt>
        <dd className="mt-1 text-2xl font-semibold" data-testid="mfa-count">
          {withMfa} <span className="text-base font-normal text-zinc-500 dark:text-zinc-400">of {members}</span>
        </dd>
      </div>
    </dl>
  );
}
