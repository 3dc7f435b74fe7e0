import { escapeHtml } from "./escape-html";

/** The kinds of email Warden sends; logged by kind, never by content. */
export type EmailKind = "invitation" | "reset_link" | "security_notice" | "new_sign_in";

export type EmailMessage = { kind: EmailKind; to: string; subject: string; text: string; html: string };

type Content = {
  kind: EmailKind;
  to: string;
  subject: string;
  /** Plain sentences. No markup: every one is escaped whole in the HTML part. */
  paragraphs: string[];
  /** The one link a message may carry (an invitation or reset link, or a page of the console). */
  action?: { label: string; url: string };
  /** Said after the link, smaller (why the person got this). */
  footer?: string;
};

/**
 * A message as plain text plus a simple HTML part with the same words. Everything
 * that goes into the HTML is escaped here, so a template cannot forget a name.
 */
export function composeEmail(content: Content): EmailMessage {
  const { action, footer } = content;
  const text = [...content.paragraphs, ...(action ? [`${action.label}: ${action.url}`] : []), ...(footer ? ["--", footer] : [])].join("\n\n");
  const p = (line: string) => `<p style="margin:0 0 16px">${escapeHtml(line)}</p>`;
  const html = [
    `<!doctype html><html><body style="font-family:system-ui,sans-serif;font-size:15px;line-height:1.5;color:#18181b;max-width:560px">`,
    ...content.paragraphs.map(p),
    action
      ? `<p style="margin:0 0 16px"><a href="${escapeHtml(action.url)}" style="display:inline-block;background:#4f46e5;color:#fff;padding:8px 16px;border-radius:6px;text-decoration:none">${escapeHtml(action.label)}</a></p>` +
        `<p style="margin:0 0 16px;font-size:13px;color:#52525b">Or open this address: ${escapeHtml(action.url)}</p>`
      : "",
    footer ? `<p style="margin:24px 0 0;font-size:13px;color:#52525b">${escapeHtml(footer)}</p>` : "",
    `</body></html>`,
  ].join("");
  return { kind: content.kind, to: content.to, subject: content.subject, text, html };
}
