import "server-only";
import { createHash } from "node:crypto";
import type { Tx } from "../db/with-workspace";
import { postgresErrorOf } from "../db/postgres-error";
import type { AuditActor } from "../audit/record-audit-event";
import { AppError } from "../errors";

/** What public.delete_workspace returns and keeps in workspace_deletion_receipts. */
export type DeletionReceipt = {
  receipt_id: string;
  workspace_id: string;
  /** SHA-256 (hex) of the workspace's name, UTF-8: proves which name without keeping it. */
  name_sha256: string;
  deleted_by_user_id: string | null;
  deleted_by_label: string;
  deleted_at: string;
  /** Rows removed per table (a table's other column pointing at the workspace as "table.column"). */
  rows_removed: Record<string, number>;
  /** The audit chain's head when it was removed (null: the log was empty). */
  final_audit_seq: string | null;
  final_audit_hash: string | null;
};

export const NAME_MISMATCH = "Type the workspace's name exactly as shown to confirm.";

export const workspaceNameSha256 = (name: string) => createHash("sha256").update(name, "utf8").digest("hex");

/**
 * Deletes the workspace and its whole data graph in the caller's transaction (the
 * workspace's own, opened by workspaceAction), through the one database function
 * that may: it re-checks that the deleting person is an owner and that the name
 * matches, removes every row that names the workspace and writes the receipt.
 * Nothing is audited in the workspace: its log goes with it; the receipt holds the
 * log's final head instead.
 */
export async function deleteWorkspace(tx: Tx, options: { workspaceId: string; workspaceName: string; typedName: string; actor: AuditActor & { type: "user" } }): Promise<DeletionReceipt> {
  const { workspaceId, workspaceName, typedName, actor } = options;
  if (typedName !== workspaceName) throw new AppError("invalid_input", NAME_MISMATCH, { confirmName: [NAME_MISMATCH] });
  try {
    const rows = await tx.$queryRaw<{ receipt: DeletionReceipt }[]>`
      SELECT public.delete_workspace(${workspaceId}::uuid, ${actor.id}::uuid, ${workspaceNameSha256(typedName)}, ${actor.label}) AS receipt`;
    return rows[0].receipt;
  } catch (error) {
    const pg = postgresErrorOf(error);
    if (pg?.code === "42501") throw new AppError("forbidden", "Only an owner can delete this workspace.");
    if (pg?.code === "23514") throw new AppError("invalid_input", NAME_MISMATCH, { confirmName: [NAME_MISMATCH] });
    if (pg?.code === "P0002") throw new AppError("not_found", "That workspace does not exist.");
    throw error;
  }
}
