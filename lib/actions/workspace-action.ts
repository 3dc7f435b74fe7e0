import "server-only";
import { z } from "zod";
import type { Capability } from "../authz/capabilities";
import { assertAuthorized, NOT_A_MEMBER, requireSession } from "../authz/authorize-workspace";
import { getCurrentSession, type ValidSession } from "../auth/current-session";
import { resolveMembership } from "../workspaces/resolve-membership";
import type { Membership } from "../workspaces/membership";
import { lockMembership } from "../workspaces/lock-membership";
import { serializeMemberChanges } from "../members/serialize-member-changes";
import { withWorkspace, type Tx } from "../db/with-workspace";
import type { RequestContext } from "../http/request-context";
import { userActor, type AuditActor } from "../audit/record-audit-event";
import { AppError } from "../errors";
import type { StepUp } from "../mfa/step-up";
import { createAction } from "./create-action";

export type WorkspaceActionArgs<I> = {
  input: I;
  tx: Tx;
  membership: Membership;
  actor: AuditActor & { type: "user" };
  session: ValidSession;
  context: RequestContext;
};

const workspaceField = z.object({ workspace: z.string().min(1) });

type Options = {
  /**
   * Sensitive actions (see the step-up rule) need a fresh MFA check when the
   * workspace asks for one (`true`), or always (`"always"`: revealing a secret).
   */
  stepUp?: StepUp;
  /**
   * The action changes who holds which role (role changes, removals, leaving,
   * transfers): it waits for the workspace's other such changes before reading
   * the actor's role, so two owners acting on each other run one after the other.
   */
  changesMembers?: boolean;
  /** Fields allowed beyond the usual length, with their own cap (createAction). */
  maxLength?: Readonly<Record<string, number>>;
  /** false: no fresh render of the page with the answer (createAction). */
  revalidate?: boolean;
};

/**
 * Every workspace action. The slug only finds the workspace; the authorization
 * itself (membership, MFA policy, capability, step-up) is decided inside the
 * handler's withWorkspace transaction, on the actor's membership read FOR SHARE:
 * a member demoted or removed meanwhile acts with the role the write will see,
 * and cannot lose it before the write commits.
 */
export function workspaceAction<S extends z.ZodObject, R>(capability: Capability, schema: S, handler: (args: WorkspaceActionArgs<z.output<S>>) => Promise<R>, options: Options = {}) {
  return createAction(
    schema.extend(workspaceField.shape),
    async ({ input, context }) => {
      const session = requireSession(await getCurrentSession());
      const found = await resolveMembership(session.user.id, String(input.workspace));
      if (!found) throw new AppError("not_found", NOT_A_MEMBER);
      return withWorkspace(found.workspaceId, async (tx) => {
        if (options.changesMembers) await serializeMemberChanges(tx, found.workspaceId);
        const membership = await lockMembership(tx, found.workspaceId, session.user.id);
        assertAuthorized(session, membership, capability, options);
        return handler({ input: input as z.output<S>, tx, membership, actor: userActor(session.user), session, context });
      });
    },
    { maxLength: options.maxLength, revalidate: options.revalidate },
  );
}
