import { AppError } from "../errors";
import type { Tx } from "../db/with-workspace";
import type { RequestContext } from "../http/request-context";
import type { Role } from "../generated/prisma/enums";
import { recordAuditEvent, type AuditActor } from "../audit/record-audit-event";
import { assertMayGrant, assertMayManage, assertNotLastOwner } from "./role-rules";

type Base = { workspaceId: string; actorRole: Role; actorId: string; actor: AuditActor; context: RequestContext };

async function targetMembership(tx: Tx, workspaceId: string, userId: string) {
  const found = await tx.membership.findFirst({ where: { workspaceId, userId }, select: { id: true, role: true, user: { select: { email: true } } } });
  if (!found) throw new AppError("not_found", "That person is not a member of this workspace.");
  return found;
}

// A new role is a change of privilege: the member's sessions get new tokens at their next request.
const rotateSessionsOf = (tx: Tx, userId: string) =>
  tx.session.updateMany({ where: { userId, revokedAt: null }, data: { rotatedAt: new Date(0) } });

export async function changeMemberRole(tx: Tx, options: Base & { userId: string; role: Role; expectedRole?: Role }) {
  const target = await targetMembership(tx, options.workspaceId, options.userId);
  if (options.expectedRole && options.expectedRole !== target.role) {
    throw new AppError("conflict", `${target.user.email}'s role changed to ${target.role} meanwhile. Reload and try again.`);
  }
  if (target.role === options.role) return { email: target.user.email, role: target.role };
  assertMayManage(options.actorRole, target.role);
  assertMayGrant(options.actorRole, options.role);
  if (target.role === "owner") await assertNotLastOwner(tx, options.workspaceId, options.userId);
  await tx.membership.update({ where: { id: target.id, workspaceId: options.workspaceId }, data: { role: options.role } });
  await rotateSessionsOf(tx, options.userId);
  await recordAuditEvent(tx, {
    workspaceId: options.workspaceId, actor: options.actor, action: "member.role_changed", context: options.context,
    target: { type: "user", id: options.userId }, metadata: { email: target.user.email, before: { role: target.role }, after: { role: options.role } },
  });
  return { email: target.user.email, role: options.role };
}

/** Removes a member; their next request finds no membership and is refused. */
export async function removeMember(tx: Tx, options: Base & { userId: string }) {
  if (options.userId === options.actorId) throw new AppError("conflict", "To leave the workspace yourself, use Leave workspace.");
  const target = await targetMembership(tx, options.workspaceId, options.userId);
  assertMayManage(options.actorRole, target.role);
  await assertNotLastOwner(tx, options.workspaceId, options.userId);
  await tx.membership.delete({ where: { id: target.id, workspaceId: options.workspaceId } });
  await recordAuditEvent(tx, {
    workspaceId: options.workspaceId, actor: options.actor, action: "member.removed", context: options.context,
    target: { type: "user", id: options.userId }, metadata: { email: target.user.email, before: { role: target.role } },
  });
  return { email: target.user.email };
}

export async function leaveWorkspace(tx: Tx, options: Base) {
  const target = await targetMembership(tx, options.workspaceId, options.actorId);
  await assertNotLastOwner(tx, options.workspaceId, options.actorId);
  await tx.membership.delete({ where: { id: target.id, workspaceId: options.workspaceId } });
  await recordAuditEvent(tx, {
    workspaceId: options.workspaceId, actor: options.actor, action: "member.left", context: options.context,
    target: { type: "user", id: options.actorId }, metadata: { before: { role: target.role } },
  });
  return { left: true };
}

/** Makes another member the owner; the previous owner becomes an admin. */
export async function transferOwnership(tx: Tx, options: Base & { userId: string }) {
  if (options.userId === options.actorId) throw new AppError("conflict", "You already own this workspace.");
  const target = await targetMembership(tx, options.workspaceId, options.userId);
  const self = await targetMembership(tx, options.workspaceId, options.actorId);
  await tx.membership.update({ where: { id: target.id, workspaceId: options.workspaceId }, data: { role: "owner" } });
  await tx.membership.update({ where: { id: self.id, workspaceId: options.workspaceId }, data: { role: "admin" } });
  await rotateSessionsOf(tx, options.userId);
  await rotateSessionsOf(tx, options.actorId);
  await recordAuditEvent(tx, {
    workspaceId: options.workspaceId, actor: options.actor, action: "workspace.ownership_transferred", context: options.context,
    target: { type: "user", id: options.userId },
    metadata: { to: { email: target.user.email, before: target.role, after: "owner" }, from: { email: self.user.email, before: "owner", after: "admin" } },
  });
  return { email: target.user.email };
}

export async function revokeInvitation(tx: Tx, options: Omit<Base, "actorRole" | "actorId"> & { invitationId: string }) {
  const { count } = await tx.invitation.updateMany({
    where: { id: options.invitationId, workspaceId: options.workspaceId, acceptedAt: null, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (count === 0) throw new AppError("not_found", "That invitation was already used or revoked.");
  await recordAuditEvent(tx, {
    workspaceId: options.workspaceId, actor: options.actor, action: "member.invitation_revoked", context: options.context,
    target: { type: "invitation", id: options.invitationId },
  });
  return { revoked: true };
}

export async function listInvitations(tx: Tx, workspaceId: string) {
  const rows = await tx.invitation.findMany({
    where: { workspaceId, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    orderBy: { createdAt: "desc" },
    select: { id: true, email: true, role: true, expiresAt: true, invitedBy: { select: { email: true } } },
  });
  return rows.map((r) => ({ id: r.id, email: r.email, role: r.role, expiresAt: r.expiresAt.toISOString(), invitedBy: r.invitedBy?.email ?? null }));
}
