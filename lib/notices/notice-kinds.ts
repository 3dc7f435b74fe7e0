// What a person is told, in the app, when something changes their account's
// security. Each kind is written by the code that makes the change, in its
// transaction (recordSecurityNotice).
export const NOTICE_KINDS = {
  password_changed: "Your password was changed.",
  password_reset: "Your password was reset with a recovery link, and every device was signed out.",
  mfa_enabled: "Two-factor authentication was turned on for your account.",
  mfa_disabled: "Two-factor authentication was turned off for your account.",
  mfa_cleared: "Two-factor authentication was cleared during account recovery. Set it up again under Account → Security.",
  recovery_codes_regenerated: "New MFA recovery codes were made; the old ones no longer work.",
  sessions_revoked: "A workspace owner signed every member out of every device.",
} as const;

export type NoticeKind = keyof typeof NOTICE_KINDS;
