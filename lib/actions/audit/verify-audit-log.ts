"use server";

import { z } from "zod";
import { createAction } from "../create-action";
import { assertAuthorized, authorizeWorkspace } from "../../authz/authorize-workspace";
import { lockMembership } from "../../workspaces/lock-membership";
import { runChainVerification } from "../../audit/run-chain-verification";

// Not a workspaceAction: that would hold the handler's transaction (and its pooled
// connection) for the whole walk of the chain. The capability is checked before
// the walk and again in the transaction that records the result.
export const verifyAuditLog = createAction(z.object({ workspace: z.string().min(1) }), async ({ input, context }) => {
  const { session, membership, actor } = await authorizeWorkspace(input.workspace, "audit.read");
  return runChainVerification({
    workspaceId: membership.workspaceId,
    actor,
    context,
    authorize: async (tx) => assertAuthorized(session, await lockMembership(tx, membership.workspaceId, session.user.id), "audit.read"),
  });
});
