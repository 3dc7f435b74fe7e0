import "server-only";
import { withWorkspace } from "../db/with-workspace";

/**
 * Whether this person is the workspace's only owner, so the Leave button can say
 * why it is off before anyone presses it. Only a hint for the page:
 * assertNotLastOwner, under the member-change lock, is what refuses.
 */
export async function isLastOwner(workspaceId: string, userId: string): Promise<boolean> {
  return withWorkspace(workspaceId, async (tx) => {
    const owners = await tx.membership.findMany({ where: { workspaceId, role: "owner" }, select: { userId: true } });
    return owners.length > 0 && owners.every((owner) => owner.userId === userId);
  });
}
