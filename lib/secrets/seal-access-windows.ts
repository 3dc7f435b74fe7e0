// Not "server-only": the server process's maintenance timer runs it outside Next
// (lib/maintenance/run-maintenance.ts), as the application role.
import { withSystem } from "../db/system";
import { withWorkspace } from "../db/with-workspace";
import { recordAuditEvents } from "../audit/record-audit-event";

const BATCH = 500;

type Sealed = {
  secret_id: string;
  name: string;
  environment: string;
  version: number;
  count: number;
  opened_at: Date;
  key_id: string;
  key_name: string;
  key_prefix: string;
};

/**
 * Writes to the audit chain the count of every access window closed for more
 * than 60 seconds (opened more than 120 seconds ago) that no later window has
 * sealed (the next window's opening event carries the count it closes) and that
 * holds more than its opening event: one `secret.accessed` with sealed: true and
 * window_count per window, by the key whose accesses it counts (as the window's
 * opening event was). The conditional UPDATE decides which windows, under
 * each row's lock, so a window is sealed once however many passes run, and a
 * resolve that reopens the window meanwhile either waits for it or wins first.
 */
export async function sealAccessWindows(): Promise<{ workspaces: number; sealed: number }> {
  const workspaces = await withSystem((tx) => tx.$queryRaw<{ id: string }[]>`SELECT w::text AS id FROM public.workspaces_with_unsealed_access_windows() AS w`);
  let sealed = 0;
  for (const { id: workspaceId } of workspaces) {
    for (;;) {
      const batch = await withWorkspace(workspaceId, async (tx) => {
        const rows = await tx.$queryRaw<Sealed[]>`
          WITH due AS (
            SELECT workspace_id, api_key_id, secret_id, version FROM secret_access_windows
             WHERE workspace_id = ${workspaceId}::uuid AND sealed_at IS NULL AND count > 1
               AND opened_at < now() - interval '120 seconds'
             ORDER BY opened_at
             LIMIT ${BATCH} FOR UPDATE SKIP LOCKED),
          marked AS (
            UPDATE secret_access_windows w SET sealed_at = now()
              FROM due
             WHERE w.workspace_id = due.workspace_id AND w.api_key_id = due.api_key_id
               AND w.secret_id = due.secret_id AND w.version = due.version
            RETURNING w.api_key_id, w.secret_id, w.version, w.environment, w.count, w.opened_at)
          SELECT m.secret_id::text AS secret_id, s.name, m.environment, m.version, m.count, m.opened_at,
                 k.id::text AS key_id, k.name AS key_name, k.prefix AS key_prefix
            FROM marked m
            JOIN secrets s ON s.id = m.secret_id AND s.workspace_id = ${workspaceId}::uuid
            JOIN api_keys k ON k.id = m.api_key_id AND k.workspace_id = ${workspaceId}::uuid
           ORDER BY m.opened_at, m.secret_id`;
        await recordAuditEvents(
          tx,
          rows.map((r) => ({
            workspaceId,
            action: "secret.accessed" as const,
            actor: { type: "api_key" as const, id: r.key_id, label: `${r.key_name} (${r.key_prefix}…)` },
            context: { ip: null, userAgent: null, requestId: null },
            target: { type: "secret", id: r.secret_id },
            metadata: { name: r.name, environment: r.environment, version: r.version, window_count: r.count, sealed: true, opened_at: r.opened_at.toISOString() },
          })),
        );
        return rows.length;
      });
      sealed += batch;
      if (batch < BATCH) break;
    }
  }
  return { workspaces: workspaces.length, sealed };
}
