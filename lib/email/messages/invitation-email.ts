import { composeEmail } from "../email-message";

type Options = { to: string; workspaceName: string; inviterName: string; role: string; link: string };

/** The invitation itself: the link is the invitee's only way in, single-use, 7 days. */
export function invitationEmail(o: Options) {
  return composeEmail({
    kind: "invitation",
    to: o.to,
    subject: `You are invited to ${o.workspaceName} on Warden`,
    paragraphs: [
      `${o.inviterName} invited you to join the workspace ${o.workspaceName} on Warden as ${o.role}.`,
      "The link works once and expires in 7 days. Any earlier link for this invitation no longer works.",
    ],
    action: { label: "Accept the invitation", url: o.link },
    footer: "If you did not expect this invitation, ignore this email: nothing happens unless the link is opened and accepted.",
  });
}
