import { composeEmail } from "../email-message";

type Options = { to: string; device: string; ip: string | null; at: Date; sessionsUrl: string };

/** A sign-in from a browser and address the account has not used in 30 days. */
export function newSignInEmail(o: Options) {
  return composeEmail({
    kind: "new_sign_in",
    to: o.to,
    subject: "New sign-in to your Warden account",
    paragraphs: [
      `Your account was signed in to from a device it has not used recently: ${o.device}${o.ip ? `, from the address ${o.ip}` : ""}.`,
      `When: ${o.at.toUTCString()}.`,
      "If this was you, there is nothing to do. If it was not, sign out that session and change your password at once.",
    ],
    action: { label: "Review your sessions", url: o.sessionsUrl },
    footer: "Warden tells you of every sign-in from a browser or address your account has not used in the last 30 days.",
  });
}
