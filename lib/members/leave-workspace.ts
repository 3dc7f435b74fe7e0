import type { Tx } from "../db/with-workspace";
import { recordAuditEvent } from "../audit/record-audit-event";
import { assertNotLastOwner } from "./role-rules";
import { type MemberChange, targetMembership } from "./member-change";
import { serializeMemberChanges } from "./serialize-member-changes";

export async function leaveWorkspace(tx: Tx, options: MemberChange) {
  await serializeMemberChanges(tx, options.workspaceId);
  const target = await targetMembership(tx, options.workspaceId, options.actorId);
  await assertNotLastOwner(tx, options.workspaceId, options.actorId);
  await tx.membership.delete({ where: { id: target.id, workspaceId: options.workspaceId } });
  await recordAuditEvent(tx, {
    workspaceId: options.workspaceId,
    actor: options.actor,
    action: "member.left",
    context: options.context,
    target: { type: "user", id: options.actorId },
    metadata: { before: { role: target.role } },
  });
  return { left: true };
}
