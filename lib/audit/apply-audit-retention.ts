// Not "server-only": the server process's maintenance timer runs it outside Next
// (lib/maintenance/run-maintenance.ts), as the application role.
import { withSystem } from "../db/system";
import { withWorkspace } from "../db/with-workspace";

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
 * DELETE on the log. Each workspace is its own transaction, and one that fails is
 * reported without holding back the others.
 */
export async function applyAuditRetention(): Promise<RetentionResult> {
  const workspaces = await withSystem((tx) =>
    tx.$queryRaw<{ id: string }[]>`SELECT w::text AS id FROM public.workspaces_with_expired_audit_events() AS w`,
  );
  const applied: RetentionResult["applied"] = [];
  const failed: RetentionResult["failed"] = [];
  for (const { id: workspaceId } of workspaces) {
    try {
      const [row] = await withWorkspace(workspaceId, (tx) =>
        tx.$queryRaw<{ removed: bigint; last_seq: bigint | null; last_hash: string | null }[]>`
          SELECT removed, last_seq, last_hash FROM public.audit_apply_retention(${workspaceId}::uuid)`,
      );
      if (row && row.removed > 0n && row.last_seq !== null && row.last_hash !== null) {
        applied.push({ workspaceId, removed: Number(row.removed), lastSeq: row.last_seq.toString(), lastHash: row.last_hash });
      }
    } catch (error) {
      failed.push({ workspaceId, error });
    }
  }
  return { workspaces: workspaces.length, removed: applied.reduce((sum, a) => sum + a.removed, 0), applied, failed };
}
