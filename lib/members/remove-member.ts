import { AppError } from "../errors";
import type { Tx } from "../db/with-workspace";
import { recordAuditEvent } from "../audit/record-audit-event";
import { assertMayManage, assertNotLastOwner } from "./role-rules";
import { type MemberChange, targetMembership } from "./member-change";
import { serializeMemberChanges } from "./serialize-member-changes";

/** Removes a member; their next request finds no membership and is refused. */
export async function removeMember(tx: Tx, options: MemberChange & { userId: string }) {
  if (options.userId === options.actorId) throw new AppError("conflict", "To leave the workspace yourself, use Leave workspace.");
  await serializeMemberChanges(tx, options.workspaceId);
  const target = await targetMembership(tx, options.workspaceId, options.userId);
  assertMayManage(options.actorRole, target.role);
  await assertNotLastOwner(tx, options.workspaceId, options.userId);
  await tx.membership.delete({ where: { id: target.id, workspaceId: options.workspaceId } });
  await recordAuditEvent(tx, {
    workspaceId: options.workspaceId,
    actor: options.actor,
    action: "member.removed",
    context: options.context,
    target: { type: "user", id: options.userId },
    metadata: { email: target.user.email, before: { role: target.role } },
  });
  return { email: target.user.email };
}
