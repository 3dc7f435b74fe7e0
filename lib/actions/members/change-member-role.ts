"use server";

import { workspaceAction } from "../workspace-action";
import { changeRoleSchema } from "../../members/schemas";
import { changeMemberRole as change } from "../../members/change-member-role";
import { SENSITIVE_ROLES } from "../../members/role-rules";
import { assertFreshMfa } from "../../mfa/step-up";

export const changeMemberRole = workspaceAction(
  "members.update_role",
  changeRoleSchema,
  async ({ input, tx, membership, actor, session, context }) => {
    if (SENSITIVE_ROLES.includes(input.role)) assertFreshMfa(session, membership);
    return change(tx, { workspaceId: membership.workspaceId, actorRole: membership.role, actorId: session.user.id, actor, context, ...input });
  },
  { changesMembers: true },
);
