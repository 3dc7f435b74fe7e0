import { getConfig } from "../config";
import { log } from "../log";
import type { EmailMessage } from "./email-message";
import { getMailTransport } from "./mail-transport";

/**
 * Sends one message. Never throws: a failure is logged by kind and SMTP status
 * (never the message, its link or the SMTP_URL) and answered "failed", so the
 * caller can tell the person to copy the link instead.
 */
export async function sendEmail(message: EmailMessage): Promise<"off" | "sent" | "failed"> {
  const transport = getMailTransport();
  if (!transport) return "off";
  try {
    await transport.sendMail({ from: getConfig().MAIL_FROM, to: message.to, subject: message.subject, text: message.text, html: message.html });
    return "sent";
  } catch (error) {
    const e = error as { code?: string; responseCode?: number; command?: string };
    log.warn({ kind: message.kind, code: e.code, responseCode: e.responseCode, command: e.command }, "email not sent");
    return "failed";
  }
}
