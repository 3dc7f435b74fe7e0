// Not "server-only": the server process's maintenance timer runs it outside Next
// (lib/maintenance/run-maintenance.ts), as the application role.
import { withSystem } from "../db/system";
import { withWorkspace } from "../db/with-workspace";
import { recordAuditEvent, type AuditActor } from "./record-audit-event";

const RETENTION: AuditActor = { type: "system", label: "retention" };

export type RetentionResult = {
  workspaces: number;
  removed: number;
  /** Per workspace that lost events this pass: how many, and the checkpoint they left. */
  applied: { workspaceId: string; removed: number; lastSeq: string; lastHash: string }[];
  failed: { workspaceId: string; error: unknown }[];
};

/**
 * Removes, in every workspace with an audit retention window, the events older
 * than the window. Which events go is the database's decision, not this
 * function's: public.audit_apply_retention takes the workspace's chain lock,
 * removes the oldest events (a prefix of the chain, never its head) and moves the
 * checkpoint verification starts from, in one transaction; the app role has no
 * DELETE on the log. The removal is recorded as `audit.retention_applied` (how many,
 * the window, the checkpoint) in the same transaction, so the log itself says when it
 * was shortened. Each workspace is its own transaction, and one that fails is
 * reported without holding back the others.
 */
export async function applyAuditRetention(): Promise<RetentionResult> {
  const workspaces = await withSystem((tx) => tx.$queryRaw<{ id: string }[]>`SELECT w::text AS id FROM public.workspaces_with_expired_audit_events() AS w`);
  const applied: RetentionResult["applied"] = [];
  const failed: RetentionResult["failed"] = [];
  for (const { id: workspaceId } of workspaces) {
    try {
      const [row] = await withWorkspace(workspaceId, async (tx) => {
        const rows = await tx.$queryRaw<{ removed: bigint; last_seq: bigint | null; last_hash: string | null; days: number | null }[]>`
          SELECT r.removed, r.last_seq, r.last_hash, w.audit_retention_days AS days
            FROM public.audit_apply_retention(${workspaceId}::uuid) r, public.workspaces w WHERE w.id = ${workspaceId}::uuid`;
        const done = rows[0];
        if (done && done.removed > 0n) {
          await recordAuditEvent(tx, {
            workspaceId,
            actor: RETENTION,
            action: "audit.retention_applied",
            context: { ip: null, userAgent: null, requestId: null },
            metadata: { removed: Number(done.removed), retentionDays: done.days, lastSeq: done.last_seq?.toString() ?? null, lastHash: done.last_hash },
          });
        }
        return rows;
      });
      if (row && row.removed > 0n && row.last_seq !== null && row.last_hash !== null) {
        applied.push({ workspaceId, removed: Number(row.removed), lastSeq: row.last_seq.toString(), lastHash: row.last_hash });
      }
    } catch (error) {
      failed.push({ workspaceId, error });
    }
  }
  return { workspaces: workspaces.length, removed: applied.reduce((sum, a) => sum + a.removed, 0), applied, failed };
}
