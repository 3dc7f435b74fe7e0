// Every audit action name, `resource.verb`. The writer accepts only these.
export const AUDIT_ACTIONS = [
  "workspace.created",
  "member.added",
  "auth.sign_in_succeeded",
  "auth.sign_in_failed",
  "auth.signed_out",
  "auth.account_locked",
  "auth.account_unlocked",
  "auth.password_changed",
  "session.revoked",
  "session.all_revoked",
  "session.reuse_detected",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];
