import { AppError } from "../errors";
import type { Tx } from "../db/with-workspace";
import { recordAuditEvent } from "../audit/record-audit-event";
import { type MemberChange, targetMembership, rotateSessionsOf } from "./member-change";
import { serializeMemberChanges } from "./serialize-member-changes";

/** Makes another member the owner; the previous owner becomes an admin. */
export async function transferOwnership(tx: Tx, options: MemberChange & { userId: string }) {
  if (options.userId === options.actorId) throw new AppError("conflict", "You already own this workspace.");
  await serializeMemberChanges(tx, options.workspaceId);
  const target = await targetMembership(tx, options.workspaceId, options.userId);
  const self = await targetMembership(tx, options.workspaceId, options.actorId);
  if (self.role !== "owner") throw new AppError("forbidden", "Only an owner can transfer ownership.");
  await tx.membership.update({ where: { id: target.id, workspaceId: options.workspaceId }, data: { role: "owner" } });
  await tx.membership.update({ where: { id: self.id, workspaceId: options.workspaceId }, data: { role: "admin" } });
  await rotateSessionsOf(tx, options.userId);
  await rotateSessionsOf(tx, options.actorId);
  await recordAuditEvent(tx, {
    workspaceId: options.workspaceId,
    actor: options.actor,
    action: "workspace.ownership_transferred",
    context: options.context,
    target: { type: "user", id: options.userId },
    metadata: { to: { email: target.user.email, before: target.role, after: "owner" }, from: { email: self.user.email, before: "owner", after: "admin" } },
  });
  return { email: target.user.email };
}
