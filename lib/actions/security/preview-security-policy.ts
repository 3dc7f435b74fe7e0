"use server";

import { z } from "zod";
import { workspaceAction } from "../workspace-action";
import { MFA_POLICIES } from "../../mfa/mfa-policy";
import { listMembersLackingMfa } from "../../security-policy/list-members-lacking-mfa";

// Who a policy would force to enroll, asked before saving it. Only those who may
// change the policy see the answer (it names members without MFA); it changes
// nothing, so it needs no fresh MFA check.
export const previewSecurityPolicy = workspaceAction("security.manage", z.object({ mfaPolicy: z.enum(MFA_POLICIES, "Choose who must use MFA") }), async ({ input, tx, membership }) =>
  listMembersLackingMfa(tx, { workspaceId: membership.workspaceId, policy: input.mfaPolicy }),
);
