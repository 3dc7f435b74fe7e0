import { composeEmail } from "../email-message";

type Options = { to: string; workspaceName: string; issuerName: string; link: string; expiresAt: Date; clearsMfa: boolean };

/** A reset link issued by an owner or admin; single-use, one hour. */
export function resetLinkEmail(o: Options) {
  return composeEmail({
    kind: "reset_link",
    to: o.to,
    subject: "Reset your Warden password",
    paragraphs: [
      `${o.issuerName}, of the workspace ${o.workspaceName}, issued you a link to choose a new Warden password.`,
      `It works once and expires ${o.expiresAt.toUTCString()}. Using it signs you out of every device${o.clearsMfa ? " and turns off your two-factor authentication, so you can set it up again" : ""}.`,
    ],
    action: { label: "Choose a new password", url: o.link },
    footer: "If you did not ask for this, do not open the link, and tell an owner of your workspace.",
  });
}
