import "server-only";
import type { Tx } from "../db/with-workspace";
import { recordAuditEvent, type AuditActor } from "../audit/record-audit-event";
import type { RequestContext } from "../http/request-context";
import { lockWorkspaceSettings } from "./lock-workspace-settings";

/** Renames the workspace (its display name; the slug and its URLs stay), audited with before and after. */
export async function renameWorkspace(
  tx: Tx,
  options: { workspaceId: string; name: string; actor: AuditActor & { type: "user" }; context: RequestContext },
): Promise<{ before: string; after: string }> {
  const { workspaceId, name, actor, context } = options;
  const current = await lockWorkspaceSettings(tx, workspaceId);
  if (current.name === name) return { before: name, after: name };
  await tx.$executeRaw`UPDATE workspaces SET name = ${name} WHERE id = ${workspaceId}::uuid`;
  await recordAuditEvent(tx, {
    workspaceId,
    actor,
    action: "workspace.renamed",
    context,
    target: { type: "workspace", id: workspaceId },
    metadata: { before: { name: current.name }, after: { name } },
  });
  return { before: current.name, after: name };
}
