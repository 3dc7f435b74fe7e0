import { AppError } from "../errors";
import type { Tx } from "../db/with-workspace";
import type { RequestContext } from "../http/request-context";
import type { Role } from "../generated/prisma/enums";
import { recordAuditEvent, type AuditActor } from "../audit/record-audit-event";
import { generateSessionToken, hashToken } from "../auth/session-token";
import { assertMayGrant } from "./role-rules";

export const INVITATION_TTL_MS = 7 * 24 * 3600_000;

/** The link an invitee opens: the workspace id (for RLS) and a single-use token. */
export const invitationLink = (baseUrl: string, workspaceId: string, token: string) => `${baseUrl}/invite/${workspaceId}.${token}`;

/**
 * Invites an address with a role. The token is shown once, as a link, and only
 * its hash is stored; it expires in 7 days and works once.
 */
export async function inviteMember(tx: Tx, options: { workspaceId: string; email: string; role: Role; actorRole: Role; actor: AuditActor & { id: string }; context: RequestContext }) {
  const { workspaceId, email, role } = options;
  assertMayGrant(options.actorRole, role);
  const existing = await tx.membership.findFirst({ where: { workspaceId, user: { email } }, select: { id: true } });
  if (existing) throw new AppError("conflict", `${email} is already a member of this workspace.`, { email: ["Already a member"] });
  const open = await tx.invitation.findFirst({ where: { workspaceId, email, acceptedAt: null, revokedAt: null }, select: { expiresAt: true, id: true } });
  if (open && open.expiresAt > new Date()) {
    throw new AppError("conflict", `${email} already has a pending invitation. Revoke it to send a new one.`, { email: ["Already invited"] });
  }
  if (open) await tx.invitation.update({ where: { id: open.id }, data: { revokedAt: new Date() } });

  const token = generateSessionToken();
  const invitation = await tx.invitation.create({
    data: { workspaceId, email, role, tokenHash: hashToken(token), invitedById: options.actor.id, expiresAt: new Date(Date.now() + INVITATION_TTL_MS) },
  });
  await recordAuditEvent(tx, {
    workspaceId,
    actor: options.actor,
    action: "member.invited",
    context: options.context,
    target: { type: "invitation", id: invitation.id },
    metadata: { email, role, expiresAt: invitation.expiresAt.toISOString() },
  });
  return { invitationId: invitation.id, token };
}
