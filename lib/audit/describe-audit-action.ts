import type { AuditAction } from "./audit-actions";

// Each action as the short label a row shows ("Changed role"); the code
// (`member.role_changed`) is what the API, the exports and the filter's URL carry,
// and the details panel shows it beside the label. A new action without a label
// here reads as its code (and the unit test asks for one).
export const AUDIT_ACTION_LABELS: Partial<Record<AuditAction, string>> = {
  "workspace.created": "Created workspace",
  "member.added": "Added member",
  "member.invited": "Invited member",
  "member.invitation_revoked": "Revoked invitation",
  "member.invitation_resent": "Resent invitation",
  "member.joined": "Joined workspace",
  "member.role_changed": "Changed role",
  "member.removed": "Removed member",
  "member.left": "Left workspace",
  "workspace.ownership_transferred": "Made owner",
  "workspace.renamed": "Renamed workspace",
  "workspace.slug_changed": "Changed workspace address",
  "workspace.settings_changed": "Changed workspace settings",
  "account.erased": "Account erased",
  "member.reset_link_issued": "Issued reset link",
  "member.reset_link_used": "Used reset link",
  "auth.sign_in_succeeded": "Signed in",
  "auth.sign_in_failed": "Sign-in failed",
  "auth.signed_out": "Signed out",
  "auth.account_locked": "Account locked",
  "auth.account_unlocked": "Account unlocked",
  "auth.password_changed": "Changed password",
  "auth.password_reset": "Reset password",
  "auth.recovery_link_created": "Created recovery link",
  "session.revoked": "Revoked session",
  "session.all_revoked": "Revoked all sessions",
  "session.reuse_detected": "Session token reused",
  "mfa.enrolled": "Turned on MFA",
  "mfa.disabled": "Turned off MFA",
  "mfa.recovery_code_used": "Used recovery code",
  "mfa.recovery_codes_regenerated": "Made new recovery codes",
  "mfa.challenge_failed": "Wrong MFA code",
  "mfa.step_up_verified": "Confirmed with MFA",
  "security.policy_changed": "Changed security policy",
  "api_key.created": "Created API key",
  "api_key.revoked": "Revoked API key",
  "secret.created": "Created secret",
  "secret.updated": "Updated secret",
  "secret.rolled_back": "Rolled back secret",
  "secret.version_destroyed": "Destroyed secret version",
  "secret.deleted": "Deleted secret",
  "secret.restored": "Restored secret",
  "secret.purged": "Purged secret",
  "secret.revealed": "Revealed secret",
  "secret.accessed": "Resolved secret",
  "environment.created": "Created environment",
  "environment.renamed": "Renamed environment",
  "platform.agent_updated": "Agent updated (platform)",
  "platform.deployment_created": "Deployed (platform)",
  "platform.workflow_published": "Published workflow (platform)",
  "platform.channel_changed": "Changed channel (platform)",
  "agent.created": "Created agent",
  "agent.renamed": "Renamed agent",
  "agent.budget_changed": "Changed agent budget or state",
  "agent.budget_alert": "Budget alert",
  "pricing.changed": "Changed model price",
  "audit.exported": "Exported audit log",
  "usage.exported": "Exported usage",
  "audit.chain_verified": "Verified audit log",
  "audit.retention_applied": "Removed audit events past retention",
};

export function auditActionLabel(action: string): string {
  return AUDIT_ACTION_LABELS[action as AuditAction] ?? action;
}

/**
 * Whether an action answers what a person typed into the filter's search: its
 * label ("role" finds "Changed role") or its code ("member.role").
 */
export function auditActionMatches(action: string, query: string): boolean {
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const haystack = `${auditActionLabel(action)} ${action}`.toLowerCase();
  return words.every((word) => haystack.includes(word));
}
