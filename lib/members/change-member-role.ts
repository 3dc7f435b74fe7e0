import { AppError } from "../errors";
import type { Tx } from "../db/with-workspace";
import type { Role } from "../generated/prisma/enums";
import { recordAuditEvent } from "../audit/record-audit-event";
import { assertMayGrant, assertMayManage, assertNotLastOwner } from "./role-rules";
import { type MemberChange, targetMembership, rotateSessionsOf } from "./member-change";
import { serializeMemberChanges } from "./serialize-member-changes";

export async function changeMemberRole(tx: Tx, options: MemberChange & { userId: string; role: Role; expectedRole?: Role }) {
  await serializeMemberChanges(tx, options.workspaceId);
  const target = await targetMembership(tx, options.workspaceId, options.userId);
  // The role rules come before any answer, a no-op included: an admin learns nothing by "changing" an owner.
  assertMayManage(options.actorRole, target.role);
  assertMayGrant(options.actorRole, options.role);
  if (options.expectedRole && options.expectedRole !== target.role) {
    throw new AppError("conflict", `${target.user.email}'s role changed to ${target.role} meanwhile. Reload and try again.`);
  }
  if (target.role === options.role) return { email: target.user.email, role: target.role };
  if (target.role === "owner") await assertNotLastOwner(tx, options.workspaceId, options.userId);
  await tx.membership.update({ where: { id: target.id, workspaceId: options.workspaceId }, data: { role: options.role } });
  await rotateSessionsOf(tx, options.userId);
  await recordAuditEvent(tx, {
    workspaceId: options.workspaceId,
    actor: options.actor,
    action: "member.role_changed",
    context: options.context,
    target: { type: "user", id: options.userId },
    metadata: { email: target.user.email, before: { role: target.role }, after: { role: options.role } },
  });
  return { email: target.user.email, role: options.role };
}
