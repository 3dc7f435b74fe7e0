import type { Tx } from "../db/with-workspace";
import { inviterStillGrants } from "./inviter-still-grants";

/** Pending invitations; suspended: the inviter can no longer grant the role, so the link is refused until they can. */
export async function listInvitations(tx: Tx, workspaceId: string) {
  const rows = await tx.invitation.findMany({
    where: { workspaceId, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    orderBy: { createdAt: "desc" },
    select: { id: true, email: true, role: true, expiresAt: true, invitedById: true, invitedBy: { select: { name: true, email: true } } },
  });
  const inviterIds = [...new Set(rows.flatMap((r) => (r.invitedById ? [r.invitedById] : [])))];
  const inviters = await tx.membership.findMany({ where: { workspaceId, userId: { in: inviterIds } }, select: { userId: true, role: true } });
  const roleOf = new Map(inviters.map((m) => [m.userId, m.role]));
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    role: r.role,
    expiresAt: r.expiresAt.toISOString(),
    // Who sent the link in use (a resend makes the resender the inviter), by name, with the address beside it.
    invitedBy: r.invitedBy ? { name: r.invitedBy.name, email: r.invitedBy.email } : null,
    suspended: !inviterStillGrants(r.invitedById ? roleOf.get(r.invitedById) : null, r.role),
  }));
}
