"use server";

import { workspaceAction } from "../workspace-action";
import { inviteSchema } from "../../members/schemas";
import { invitationLink, inviteMember as invite } from "../../members/invite-member";
import { SENSITIVE_ROLES } from "../../members/role-rules";
import { assertFreshMfa } from "../../mfa/step-up";
import { getConfig } from "../../config";

// Returns the invitation link once, for the inviter to copy (no e-mail is sent without SMTP).
export const inviteMember = workspaceAction("members.invite", inviteSchema, async ({ input, tx, membership, actor, session, context }) => {
  if (SENSITIVE_ROLES.includes(input.role)) assertFreshMfa(session, membership);
  const { token } = await invite(tx, { workspaceId: membership.workspaceId, email: input.email, role: input.role, actorRole: membership.role, actor, context });
  return { email: input.email, link: invitationLink(getConfig().WARDEN_URL, membership.workspaceId, token) };
});
