"use server";

import { workspaceAction } from "../workspace-action";
import { invitationTargetSchema } from "../../members/schemas";
import { invitationLink } from "../../members/invite-member";
import { resendInvitation as resend } from "../../members/resend-invitation";
import { SENSITIVE_ROLES } from "../../members/role-rules";
import { assertFreshMfa } from "../../mfa/step-up";
import { getConfig } from "../../config";
import { emailAfterCommit } from "../../email/email-after-commit";
import { invitationEmail } from "../../email/messages/invitation-email";

// Returns the new link once, for the inviter to copy, and emails it after the commit
// when SMTP is configured; the previous link stops working.
export const resendInvitation = workspaceAction("members.invite", invitationTargetSchema, async ({ input, tx, membership, actor, session, context }) => {
  const result = await resend(tx, {
    workspaceId: membership.workspaceId,
    invitationId: input.invitationId,
    actorRole: membership.role,
    actor,
    context,
    // As for a new invitation: a link that grants owner or admin needs a fresh MFA check.
    beforeIssue: (role) => {
      if (SENSITIVE_ROLES.includes(role)) assertFreshMfa(session, membership);
    },
  });
  const link = invitationLink(getConfig().WARDEN_URL, membership.workspaceId, result.token);
  const delivery = emailAfterCommit(invitationEmail({ to: result.email, workspaceName: membership.name, inviterName: session.user.name, role: result.role, link }));
  return { email: result.email, link, expiresAt: result.expiresAt.toISOString(), delivery };
});
