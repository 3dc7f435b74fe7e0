import { withWorkspace } from "../db/with-workspace";

export async function listLockedMembers(workspaceId: string) {
  return withWorkspace(workspaceId, async (tx) => {
    const rows = await tx.membership.findMany({
      where: { workspaceId, user: { lockedUntil: { gt: new Date() } } },
      select: { user: { select: { id: true, email: true, name: true, lockedUntil: true } } },
    });
    return rows.map(({ user }) => ({ userId: user.id, email: user.email, name: user.name, lockedUntil: user.lockedUntil!.toISOString() }));
  });
}
