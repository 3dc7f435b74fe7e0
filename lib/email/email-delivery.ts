// What the console tells the person who caused an email (an inviter, an issuer of
// a reset link): shared with client components, so it imports nothing server-side.

/** off: no SMTP configured; failed: the server refused or could not be reached. */
export type EmailStatus = "off" | "sending" | "sent" | "failed";

export type EmailDelivery = { to: string; status: EmailStatus };

/** The sentence shown beside a link the console also displays. */
export function describeEmailDelivery(delivery: EmailDelivery | undefined): string {
  switch (delivery?.status) {
    case "sent":
      return `Emailed to ${delivery.to}.`;
    case "failed":
      return `The email to ${delivery.to} could not be sent: copy the link and send it yourself.`;
    case "sending":
      return `Sending to ${delivery.to}…`;
    default:
      return "Email is off: copy the link and send it yourself.";
  }
}
