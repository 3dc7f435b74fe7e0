import { deriveAuditChainKey } from "../../../lib/audit/audit-chain-keys";
import { recordAuditEvents, type AuditEventInput } from "../../../lib/audit/record-audit-event";
import { ownerDb, serverMasterKey } from "./state";

/**
 * Appends a spec's events to a workspace's log through the one writer, as the
 * owner, in order (oldest first): the app role has no INSERT, and the chain takes
 * only events hashed with the server's key. `occurredAt` backdates (honoured for the
 * owner only). Returns each event's id and seq.
 */
export async function appendAuditEvents(workspaceId: string, events: Omit<AuditEventInput, "workspaceId">[]): Promise<{ id: string; seq: string }[]> {
  if (events.length === 0) return [];
  const key = deriveAuditChainKey(serverMasterKey());
  const db = await ownerDb();
  try {
    await db.query("BEGIN");
    await db.query("SELECT set_config('app.workspace_id', $1, true)", [workspaceId]);
    await recordAuditEvents(
      db,
      events.map((e) => ({ ...e, workspaceId })),
      key,
    );
    // The writer holds the workspace's chain lock to the commit: the newest events are these.
    const { rows } = await db.query<{ id: string; seq: string }>(`SELECT id::text AS id, seq::text AS seq FROM public.audit_events WHERE workspace_id = $1 ORDER BY seq DESC LIMIT $2`, [
      workspaceId,
      events.length,
    ]);
    await db.query("COMMIT");
    return rows.reverse();
  } catch (error) {
    await db.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    await db.end();
  }
}
