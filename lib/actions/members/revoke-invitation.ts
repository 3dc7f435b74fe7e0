"use server";

import { workspaceAction } from "../workspace-action";
import { invitationTargetSchema } from "../../members/schemas";
import { revokeInvitation as revoke } from "../../members/revoke-invitation";

export const revokeInvitation = workspaceAction("members.invite", invitationTargetSchema, async ({ input, tx, membership, actor, context }) =>
  revoke(tx, { workspaceId: membership.workspaceId, invitationId: input.invitationId, actor, context }),
);
