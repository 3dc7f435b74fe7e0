import "server-only";
import { z } from "zod";
import { AppError } from "../errors";
import { can, type Capability } from "../authz/capabilities";
import { getCurrentSession, type ValidSession } from "../auth/current-session";
import { resolveMembership, type Membership } from "../workspaces/resolve-membership";
import { withWorkspace, type Tx } from "../db/with-workspace";
import type { RequestContext } from "../http/request-context";
import type { AuditActor } from "../audit/record-audit-event";
import { createAction } from "./create-action";
import { assertFreshMfa, assertMfaPolicySatisfied } from "../mfa/step-up";

export type WorkspaceActionArgs<I> = {
  input: I;
  tx: Tx;
  membership: Membership;
  actor: AuditActor & { type: "user" };
  session: ValidSession;
  context: RequestContext;
};

const workspaceField = z.object({ workspace: z.string().min(1) });

/** Sensitive actions (see the step-up rule) need a fresh MFA check when the workspace asks for one. */
type Options = { stepUp?: boolean };

/**
 * Every workspace action: the session, the caller's membership of the workspace the
 * form names (404-style refusal when there is none), the workspace's MFA policy,
 * the capability from the one table, step-up where marked, then the handler inside
 * withWorkspace so RLS and the audit row share its transaction.
 */
export function workspaceAction<S extends z.ZodObject, R>(
  capability: Capability,
  schema: S,
  handler: (args: WorkspaceActionArgs<z.output<S>>) => Promise<R>,
  options: Options = {},
) {
  return createAction(schema.extend(workspaceField.shape), async ({ input, context }) => {
    const session = await getCurrentSession();
    if (!session) throw new AppError("unauthenticated", "Your session has ended. Sign in again.");
    const membership = await resolveMembership(session.user.id, String(input.workspace));
    if (!membership) throw new AppError("not_found", "That workspace does not exist or you are not a member.");
    assertMfaPolicySatisfied(session, membership);
    if (!can(membership.role, capability)) throw new AppError("forbidden", "Your role does not allow this action.");
    if (options.stepUp) assertFreshMfa(session, membership);
    const actor = { type: "user" as const, id: session.user.id, label: session.user.email };
    return withWorkspace(membership.workspaceId, (tx) =>
      handler({ input: input as z.output<S>, tx, membership, actor, session, context }),
    );
  });
}
