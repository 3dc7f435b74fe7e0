"use server";

import { workspaceAction } from "../workspace-action";
import { memberTargetSchema } from "../../members/schemas";
import { transferOwnership as transfer } from "../../members/transfer-ownership";

export const transferOwnership = workspaceAction(
  "workspace.transfer",
  memberTargetSchema,
  async ({ input, tx, membership, actor, session, context }) =>
    transfer(tx, { workspaceId: membership.workspaceId, actorRole: membership.role, actorId: session.user.id, actor, context, userId: input.userId }),
  { stepUp: true, changesMembers: true },
);
