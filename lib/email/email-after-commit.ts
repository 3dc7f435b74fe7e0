import { afterCommit } from "../db/after-commit";
import type { EmailDelivery } from "./email-delivery";
import type { EmailMessage } from "./email-message";
import { emailEnabled } from "./mail-transport";
import { sendEmail } from "./send-email";

/**
 * A message for the person an action is about (an invitee, a member given a reset
 * link), sent once the action's transaction commits: a slow or refusing SMTP
 * server can neither hold the transaction's locks nor undo the change. The
 * transaction's caller waits for the send, so the returned delivery says "sent"
 * or "failed" by the time the action answers; with email off it says so at once.
 */
export function emailAfterCommit(message: EmailMessage): EmailDelivery {
  const delivery: EmailDelivery = { to: message.to, status: emailEnabled() ? "sending" : "off" };
  if (delivery.status === "off") return delivery;
  afterCommit(async () => {
    delivery.status = await sendEmail(message);
  });
  return delivery;
}

/**
 * Messages nobody waits for (security notices): sent one after another once the
 * transaction commits, without holding up the answer. The in-app notice exists
 * either way; a failure is logged by sendEmail.
 */
export function emailInBackgroundAfterCommit(messages: EmailMessage[]): void {
  if (messages.length === 0 || !emailEnabled()) return;
  afterCommit(async () => {
    void (async () => {
      for (const message of messages) await sendEmail(message);
    })();
  });
}
