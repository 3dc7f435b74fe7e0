import "server-only";
import { AppError } from "../errors";
import { can, type Capability } from "./capabilities";
import { getCurrentSession, type ValidSession } from "../auth/current-session";
import { resolveMembership } from "../workspaces/resolve-membership";
import type { Membership } from "../workspaces/membership";
import { assertFreshMfa, assertMfaPolicySatisfied, type StepUp } from "../mfa/step-up";
import { userActor, type AuditActor } from "../audit/record-audit-event";

export type WorkspaceAuthority = { session: ValidSession; membership: Membership; actor: AuditActor & { type: "user" } };
export type AuthorizeOptions = { stepUp?: StepUp };

export const NOT_A_MEMBER = "That workspace does not exist or you are not a member.";

export function requireSession(session: ValidSession | null): ValidSession {
  if (!session) throw new AppError("unauthenticated", "Your session has ended. Sign in again.");
  return session;
}

/**
 * The one check for a signed-in caller acting on a workspace, given the
 * membership as the caller's transaction read it: a membership of the workspace
 * named (refused as not found, so outsiders learn nothing), the workspace's MFA
 * policy, the capability from the one table, and a fresh MFA check where the
 * action is marked sensitive.
 */
export function assertAuthorized(session: ValidSession, membership: Membership | null, capability: Capability, options: AuthorizeOptions = {}): asserts membership is Membership {
  if (!membership) throw new AppError("not_found", NOT_A_MEMBER);
  assertMfaPolicySatisfied(session, membership);
  if (!can(membership.role, capability)) throw new AppError("forbidden", "Your role does not allow this action.");
  if (options.stepUp) assertFreshMfa(session, membership, options.stepUp);
}

/**
 * For reads outside a writing transaction (the audit export streams from its
 * own): the same check on the membership as resolved for this request. Actions
 * that write use workspaceAction, which checks inside the writing transaction.
 */
export async function authorizeWorkspace(slug: string, capability: Capability, options: AuthorizeOptions = {}): Promise<WorkspaceAuthority> {
  const session = requireSession(await getCurrentSession());
  const membership = await resolveMembership(session.user.id, slug);
  assertAuthorized(session, membership, capability, options);
  return { session, membership, actor: userActor(session.user) };
}
