"use server";

import { workspaceAction } from "../workspace-action";
import { securityPolicySchema, updateSecurityPolicy as update } from "../../security-policy/update-security-policy";

export const updateSecurityPolicy = workspaceAction(
  "security.manage",
  securityPolicySchema,
  async ({ input, tx, membership, actor, session, context }) => update(tx, { workspaceId: membership.workspaceId, input, session, actor, context }),
  { stepUp: true },
);
