import { NOTICE_KINDS, type NoticeKind } from "../../notices/notice-kinds";
import { composeEmail } from "../email-message";

const SUBJECTS: Record<NoticeKind, string> = {
  password_changed: "Your Warden password was changed",
  password_reset: "Your Warden password was reset",
  mfa_enabled: "Two-factor authentication is on for your Warden account",
  mfa_disabled: "Two-factor authentication is off for your Warden account",
  mfa_cleared: "Two-factor authentication was cleared on your Warden account",
  recovery_codes_regenerated: "New recovery codes for your Warden account",
  sessions_revoked: "You were signed out of Warden everywhere",
};

type Options = { to: string; kind: NoticeKind; detail: string | null; at: Date; accountUrl: string };

/**
 * The email twin of an in-app security notice: what changed and when, and where to
 * look. Says nothing secret: no code, no password, no token, only the account page.
 */
export function securityNoticeEmail(o: Options) {
  return composeEmail({
    kind: "security_notice",
    to: o.to,
    subject: SUBJECTS[o.kind],
    paragraphs: [
      NOTICE_KINDS[o.kind],
      ...(o.detail ? [o.kind === "sessions_revoked" ? `Workspace: ${o.detail}.` : o.detail] : []),
      `When: ${o.at.toUTCString()}.`,
      "If this was you, there is nothing to do. If it was not, reset your password and review your sessions and two-factor authentication at once, or ask an owner of your workspace for a reset link.",
    ],
    action: { label: "Review your account's security", url: o.accountUrl },
    footer: "Warden sends this to every account whose password, two-factor authentication or sessions change.",
  });
}
