import "server-only";
import { z } from "zod";
import type { Capability } from "../authz/capabilities";
import { authorizeWorkspace } from "../authz/authorize-workspace";
import type { ValidSession } from "../auth/current-session";
import type { Membership } from "../workspaces/resolve-membership";
import { withWorkspace, type Tx } from "../db/with-workspace";
import type { RequestContext } from "../http/request-context";
import type { AuditActor } from "../audit/record-audit-event";
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

/** Sensitive actions (see the step-up rule) need a fresh MFA check when the workspace asks for one. */
type Options = { stepUp?: boolean };

/**
 * Every workspace action: authorizeWorkspace for the workspace the form names,
 * then the handler inside withWorkspace so RLS and the audit row share its
 * transaction.
 */
export function workspaceAction<S extends z.ZodObject, R>(
  capability: Capability,
  schema: S,
  handler: (args: WorkspaceActionArgs<z.output<S>>) => Promise<R>,
  options: Options = {},
) {
  return createAction(schema.extend(workspaceField.shape), async ({ input, context }) => {
    const { session, membership, actor } = await authorizeWorkspace(String(input.workspace), capability, options);
    return withWorkspace(membership.workspaceId, (tx) =>
      handler({ input: input as z.output<S>, tx, membership, actor, session, context }),
    );
  });
}
