import type { Tx } from "../db/with-workspace";

export async function listInvitations(tx: Tx, workspaceId: string) {
  const rows = await tx.invitation.findMany({
    where: { workspaceId, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    orderBy: { createdAt: "desc" },
    select: { id: true, email: true, role: true, expiresAt: true, invitedBy: { select: { email: true } } },
  });
  return rows.map((r) => ({ id: r.id, email: r.email, role: r.role, expiresAt: r.expiresAt.toISOString(), invitedBy: r.invitedBy?.email ?? null }));
}
