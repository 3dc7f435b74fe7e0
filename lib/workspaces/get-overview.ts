import { withWorkspace } from "../db/with-workspace";

export async function getOverview(workspaceId: string) {
  return withWorkspace(workspaceId, async (tx) => {
    const [members, recentEvents] = await Promise.all([
      tx.membership.count(),
      tx.auditEvent.findMany({
        orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
        take: 8,
        select: { id: true, action: true, actorLabel: true, occurredAt: true },
      }),
    ]);
    return { members, recentEvents };
  });
}
