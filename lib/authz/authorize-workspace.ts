import "server-only";
import { AppError } from "../errors";
import { can, type Capability } from "./capabilities";
import { getCurrentSession, type ValidSession } from "../auth/current-session";
import { resolveMembership, type Membership } from "../workspaces/resolve-membership";
import { assertFreshMfa, assertMfaPolicySatisfied } from "../mfa/step-up";
import { userActor, type AuditActor } from "../audit/record-audit-event";

export type WorkspaceAuthority = { session: ValidSession; membership: Membership; actor: AuditActor & { type: "user" } };

/**
 * The one check for a signed-in caller acting on a workspace: a live session, a
 * membership of the workspace named (refused as not found, so outsiders learn
 * nothing), the workspace's MFA policy, the capability from the one table, and a
 * fresh MFA check where the action is marked sensitive.
 */
export async function authorizeWorkspace(slug: string, capability: Capability, options: { stepUp?: boolean } = {}): Promise<WorkspaceAuthority> {
  const session = await getCurrentSession();
  if (!session) throw new AppError("unauthenticated", "Your session has ended. Sign in again.");
  const membership = await resolveMembership(session.user.id, slug);
  if (!membership) throw new AppError("not_found", "That workspace does not exist or you are not a member.");
  assertMfaPolicySatisfied(session, membership);
  if (!can(membership.role, capability)) throw new AppError("forbidden", "Your role does not allow this action.");
  if (options.stepUp) assertFreshMfa(session, membership);
  return { session, membership, actor: userActor(session.user) };
}
