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
  "mfa.enrolled",
  "mfa.disabled",
  "mfa.recovery_code_used",
  "mfa.recovery_codes_regenerated",
  "mfa.challenge_failed",
  "mfa.step_up_verified",
  "security.policy_changed",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];
