"use server";

import { workspaceAction } from "../workspace-action";
import { issueResetLinkSchema } from "../../recovery/schemas";
import { issueResetLink as issue } from "../../recovery/issue-reset-link";
import { resetLinkUrl } from "../../recovery/reset-link";
import { getConfig } from "../../config";

// Returns the link once, for the issuer to hand over (no e-mail is sent without SMTP).
export const issueResetLink = workspaceAction(
  "members.recover",
  issueResetLinkSchema,
  async ({ input, tx, membership, actor, context }) => {
    const result = await issue(tx, { workspaceId: membership.workspaceId, userId: input.userId, clearMfa: input.clearMfa, actor, context });
    return { email: result.email, link: resetLinkUrl(getConfig().WARDEN_URL, result.resetId, result.token), expiresAt: result.expiresAt.toISOString(), mfa: result.mfa };
  },
  { stepUp: true },
);
