import { getCurrentSession } from "@/lib/auth/current-session";
import { resolveMembership } from "@/lib/workspaces/resolve-membership";
import { isLastOwner } from "@/lib/members/is-last-owner";
import { LeaveWorkspaceButton } from "./leave-workspace-button";

/**
 * Leave, or why not: the last owner cannot leave (the workspace would have nobody
 * to manage it), so their button is off with the reason beside it rather than a
 * confirmation that then fails. The session and membership are the page's own,
 * cached for this request.
 */
export async function LeaveWorkspace({ workspace, name }: { workspace: string; name: string }) {
  const session = await getCurrentSession();
  const membership = session ? await resolveMembership(session.user.id, workspace) : null;
  if (!session || !membership) return null;
  const last = membership.role === "owner" && (await isLastOwner(membership.workspaceId, session.user.id));
  return (
    <LeaveWorkspaceButton workspace={membership.slug} name={name} blockedBecause={last ? "You are this workspace's only owner, so you cannot leave it. Make someone else an owner first." : null} />
  );
}
