"use server";

import { workspaceAction } from "../workspace-action";
import { memberTargetSchema } from "../../members/schemas";
import { removeMember as remove } from "../../members/remove-member";

export const removeMember = workspaceAction(
  "members.remove",
  memberTargetSchema,
  async ({ input, tx, membership, actor, session, context }) =>
    remove(tx, { workspaceId: membership.workspaceId, actorRole: membership.role, actorId: session.user.id, actor, context, userId: input.userId }),
  { stepUp: true, changesMembers: true },
);
