import nodemailer, { type Transporter } from "nodemailer";
import { getConfig } from "../config";

let cached: { url: string; transport: Transporter } | undefined;

/** Whether SMTP is configured; without it the console shows links to copy instead. */
export const emailEnabled = () => Boolean(getConfig().SMTP_URL);

/**
 * The SMTP transport SMTP_URL names, or null when email is off. Built once per URL.
 * Timeouts are short: a send runs after the change has committed, but an inviter
 * still waits for it to hear whether the email left.
 */
export function getMailTransport(): Transporter | null {
  const url = getConfig().SMTP_URL;
  if (!url) return null;
  if (cached?.url !== url) {
    cached?.transport.close();
    cached = { url, transport: nodemailer.createTransport(url, { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 15_000 }) };
  }
  return cached.transport;
}
