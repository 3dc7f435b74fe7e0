import type { AuditAction } from "../../lib/audit/audit-actions";

// What the audit benchmarks (bench-audit, bench-partitions) draw their events from.

// Relative frequencies of what members do; sign-ins dominate, role changes are rare.
export const USER_ACTIONS: Partial<Record<AuditAction, number>> = {
  "auth.sign_in_succeeded": 420,
  "auth.signed_out": 150,
  "mfa.step_up_verified": 80,
  "auth.sign_in_failed": 60,
  "session.revoked": 40,
  "member.invited": 25,
  "mfa.challenge_failed": 20,
  "member.joined": 20,
  "audit.exported": 15,
  "auth.password_changed": 15,
  "mfa.enrolled": 12,
  "member.added": 10,
  "member.invitation_revoked": 8,
  "member.removed": 8,
  "session.all_revoked": 8,
  "member.role_changed": 6,
  "auth.account_locked": 6,
  "auth.account_unlocked": 5,
  "member.left": 5,
  "audit.chain_verified": 5,
  "api_key.created": 4,
  "mfa.recovery_codes_regenerated": 4,
  "mfa.disabled": 3,
  "mfa.recovery_code_used": 3,
  "security.policy_changed": 3,
  "api_key.revoked": 2,
  "session.reuse_detected": 2,
  "workspace.ownership_transferred": 1,
};
export const KEY_ACTIONS: Partial<Record<AuditAction, number>> = {
  "audit.exported": 40,
  "member.invited": 25,
  "member.added": 15,
  "member.removed": 10,
  "audit.chain_verified": 10,
};

/** 1,000 slots filled in proportion to the weights, so SQL can draw with `slots[1 + floor(random() * 1000)]`. */
export function lookup(weights: Partial<Record<AuditAction, number>>): string[] {
  const entries = Object.entries(weights) as [AuditAction, number][];
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  const slots: string[] = [];
  let cumulative = 0;
  for (const [action, weight] of entries) {
    cumulative += weight;
    while (slots.length < Math.round((cumulative / total) * 1000)) slots.push(action);
  }
  return slots;
}
