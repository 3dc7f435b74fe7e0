import type { SecretDetail } from "@/lib/secrets/get-secret-detail";
import type { RotationStatus } from "@/lib/secrets/secret-status";
import { LocalTime } from "@/components/ui/local-time";

const STATUS: Record<RotationStatus, { label: string; style: string }> = {
  ok: { label: "Up to date", style: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200" },
  rotation_due: { label: "Rotation due", style: "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-200" },
  expired: { label: "Expired", style: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-200" },
};

function Item({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div className="space-y-0.5">
      <dt className="text-xs font-medium uppercase text-zinc-500">{term}</dt>
      <dd className="text-sm">{children}</dd>
    </div>
  );
}

const by = (who: string | null) => (who ? <> by {who}</> : <> by a deleted account</>);

/** What is known about a secret apart from its value. */
export function SecretMetadata({ secret }: { secret: SecretDetail }) {
  const status = STATUS[secret.rotationStatus];
  return (
    <section aria-labelledby="details-heading" className="space-y-4 rounded-lg border border-zinc-200 bg-white p-6 dark:border-zinc-800 dark:bg-zinc-900">
      <div className="flex flex-wrap items-center gap-3">
        <h2 id="details-heading" className="text-lg font-semibold">
          Details
        </h2>
        <span data-testid="rotation-status" className={`rounded px-2 py-0.5 text-xs font-medium ${status.style}`}>
          {status.label}
        </span>
      </div>
      <dl className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        <Item term="Name">
          <code className="font-mono">{secret.name}</code>
        </Item>
        <Item term="Environment">{secret.environment}</Item>
        <Item term="Current version">v{secret.currentVersion}</Item>
        <Item term="Description">{secret.description || <span className="text-zinc-500">None</span>}</Item>
        <Item term="Rotation">
          {secret.rotationIntervalDays ? (
            <>
              Every {secret.rotationIntervalDays} days; value last changed <LocalTime iso={secret.valueChangedAt} />
            </>
          ) : (
            "No interval set"
          )}
        </Item>
        <Item term="Expires">{secret.expiresAt ? <LocalTime iso={secret.expiresAt} /> : "Never"}</Item>
        <Item term="Created">
          <LocalTime iso={secret.createdAt} />
          {by(secret.createdBy)}
        </Item>
        <Item term="Updated">
          <LocalTime iso={secret.updatedAt} />
          {by(secret.updatedBy)}
        </Item>
        <Item term="Last resolved">
          {secret.lastResolvedAt ? (
            <>
              <LocalTime iso={secret.lastResolvedAt} /> by the key {secret.lastResolvedByKey ? `“${secret.lastResolvedByKey}”` : "(since deleted)"}
            </>
          ) : (
            "Never"
          )}
        </Item>
      </dl>
    </section>
  );
}
