// Every audit action name, `resource.verb`. The writer accepts only these.
export const AUDIT_ACTIONS = [
  "workspace.created",
  "member.added",
  "member.invited",
  "member.invitation_revoked",
  "member.invitation_resent",
  "member.joined",
  "member.role_changed",
  "member.removed",
  "member.left",
  "workspace.ownership_transferred",
  "member.reset_link_issued",
  "member.reset_link_used",
  "auth.sign_in_succeeded",
  "auth.sign_in_failed",
  "auth.signed_out",
  "auth.account_locked",
  "auth.account_unlocked",
  "auth.password_changed",
  "auth.password_reset",
  "auth.recovery_link_created",
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
  "api_key.created",
  "api_key.revoked",
  "audit.exported",
  "audit.chain_verified",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** The filter's groups, by the resource part of the name. */
export const AUDIT_ACTION_GROUPS: { label: string; prefix: string }[] = [
  { label: "Authentication", prefix: "auth." },
  { label: "Sessions", prefix: "session." },
  { label: "MFA", prefix: "mfa." },
  { label: "Members", prefix: "member." },
  { label: "Workspace", prefix: "workspace." },
  { label: "Security", prefix: "security." },
  { label: "API keys", prefix: "api_key." },
  { label: "Audit log", prefix: "audit." },
];

export const AUDIT_TARGET_TYPES = ["user", "workspace", "session", "invitation", "api_key"] as const;
