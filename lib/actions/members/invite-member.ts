"use server";

import { workspaceAction } from "../workspace-action";
import { inviteSchema } from "../../members/schemas";
import { invitationLink, inviteMember as invite } from "../../members/invite-member";
import { SENSITIVE_ROLES } from "../../members/role-rules";
import { assertFreshMfa } from "../../mfa/step-up";
import { getConfig } from "../../config";
import { emailAfterCommit } from "../../email/email-after-commit";
import { invitationEmail } from "../../email/messages/invitation-email";

// Returns the invitation link once, for the inviter to copy, and emails it to the
// invitee after the commit when SMTP is configured (delivery says how that went).
export const inviteMember = workspaceAction("members.invite", inviteSchema, async ({ input, tx, membership, actor, session, context }) => {
  if (SENSITIVE_ROLES.includes(input.role)) assertFreshMfa(session, membership);
  const { token } = await invite(tx, { workspaceId: membership.workspaceId, email: input.email, role: input.role, actorRole: membership.role, actor, context });
  const link = invitationLink(getConfig().WARDEN_URL, membership.workspaceId, token);
  const delivery = emailAfterCommit(invitationEmail({ to: input.email, workspaceName: membership.name, inviterName: session.user.name, role: input.role, link }));
  return { email: input.email, link, delivery };
});
