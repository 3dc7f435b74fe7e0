"use server";

import { workspaceAction } from "../workspace-action";
import { issueResetLinkSchema } from "../../recovery/schemas";
import { issueResetLink as issue } from "../../recovery/issue-reset-link";
import { resetLinkUrl } from "../../recovery/reset-link";
import { getConfig } from "../../config";
import { emailAfterCommit } from "../../email/email-after-commit";
import { resetLinkEmail } from "../../email/messages/reset-link-email";

// Returns the link once, for the issuer to hand over, and emails it to the member
// after the commit when SMTP is configured (delivery says how that went).
export const issueResetLink = workspaceAction(
  "members.recover",
  issueResetLinkSchema,
  async ({ input, tx, membership, actor, session, context }) => {
    const result = await issue(tx, { workspaceId: membership.workspaceId, userId: input.userId, clearMfa: input.clearMfa, actor, context });
    const link = resetLinkUrl(getConfig().WARDEN_URL, result.resetId, result.token);
    const clearsMfa = result.mfa === "cleared" || result.mfa === "cleared_must_enroll";
    const delivery = emailAfterCommit(resetLinkEmail({ to: result.email, workspaceName: membership.name, issuerName: session.user.name, link, expiresAt: result.expiresAt, clearsMfa }));
    return { email: result.email, link, expiresAt: result.expiresAt.toISOString(), mfa: result.mfa, delivery };
  },
  { stepUp: true },
);
