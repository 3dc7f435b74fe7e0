import Link from "next/link";
import type { SecretsAttention as Attention } from "@/lib/secrets/count-secrets-needing-attention";
import { cardClass, linkClass } from "./card";

/** Secrets whose expiry or rotation interval has passed, each count linking to the filtered Secrets list. */
export function SecretsAttention({ slug, attention }: { slug: string; attention: Attention }) {
  const base = `/w/${slug}/secrets`;
  const total = attention.expired + attention.rotationDue;
  return (
    <section aria-labelledby="secrets-attention-heading" className={cardClass} data-testid="overview-secrets">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="secrets-attention-heading" className="text-lg font-semibold">
          Secrets
        </h2>
        <Link href={base} className={`text-sm ${linkClass}`}>
          All secrets
        </Link>
      </div>
      {total === 0 ? (
        <p className="mt-1 text-sm text-emerald-700 dark:text-emerald-400">No secret is expired or due for rotation.</p>
      ) : (
        <ul className="mt-2 space-y-1 text-sm">
          {attention.expired > 0 ? (
            <li>
              <Link href={`${base}?status=expired`} className={linkClass} data-testid="overview-secrets-expired">
                {attention.expired === 1 ? "1 secret has" : `${attention.expired} secrets have`} expired
              </Link>
            </li>
          ) : null}
          {attention.rotationDue > 0 ? (
            <li>
              <Link href={`${base}?status=rotation_due`} className={linkClass} data-testid="overview-secrets-rotation-due">
                {attention.rotationDue === 1 ? "1 secret is" : `${attention.rotationDue} secrets are`} due for rotation
              </Link>
            </li>
          ) : null}
        </ul>
      )}
    </section>
  );
}
