// Not "server-only": the server process's maintenance timer runs it outside Next
// (lib/maintenance/run-maintenance.ts), as the application role.
import { withSystem } from "../db/system";
import { withWorkspace } from "../db/with-workspace";
import { recordAuditEvents, type AuditActor } from "../audit/record-audit-event";

const RETENTION: AuditActor = { type: "system", label: "retention" };
const BATCH = 500;

type Purged = { id: string; name: string; environment: string; current_version: number };

/**
 * Removes secrets deleted more than 30 days ago, with their versions (the foreign
 * key cascades), and records one `secret.purged` per secret in the same
 * transaction. Which rows may go is the database's rule, not this function's: the
 * RLS policy secrets_purge_only lets the app delete nothing else, whatever it asks.
 * A row a restore holds locked is skipped and, if still deleted, purged next run.
 */
export async function purgeDeletedSecrets(): Promise<{ workspaces: number; purged: number }> {
  const workspaces = await withSystem((tx) => tx.$queryRaw<{ id: string }[]>`SELECT w::text AS id FROM public.workspaces_with_purgeable_secrets() AS w`);
  let purged = 0;
  for (const { id: workspaceId } of workspaces) {
    for (;;) {
      const batch = await withWorkspace(workspaceId, async (tx) => {
        const rows = await tx.$queryRaw<Purged[]>`
          WITH gone AS (
            DELETE FROM secrets WHERE id IN (
              SELECT id FROM secrets
               WHERE workspace_id = ${workspaceId}::uuid AND deleted_at < CURRENT_TIMESTAMP - interval '30 days'
               LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
            RETURNING id, name, environment_id, current_version)
          SELECT g.id::text AS id, g.name, e.name AS environment, g.current_version
            FROM gone g JOIN environments e ON e.id = g.environment_id`;
        await recordAuditEvents(
          tx,
          rows.map((r) => ({
            workspaceId,
            actor: RETENTION,
            action: "secret.purged" as const,
            context: { ip: null, userAgent: null, requestId: null },
            target: { type: "secret", id: r.id },
            metadata: { name: r.name, environment: r.environment, version: r.current_version },
          })),
        );
        return rows.length;
      });
      purged += batch;
      if (batch < BATCH) break;
    }
  }
  return { workspaces: workspaces.length, purged };
}
