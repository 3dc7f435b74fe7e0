import "server-only";
import { withUser } from "../db/system";
import { describeUserAgent } from "../auth/sessions/describe-user-agent";

export type AccountEventRow = {
  id: string;
  occurredAt: string;
  action: string;
  label: string;
  ip: string | null;
  browser: string;
  system: string;
};

// What each personal event means to the person it happened to.
const LABELS: Record<string, string> = {
  "auth.sign_in_succeeded": "Signed in",
  "auth.sign_in_failed": "Sign-in refused",
  "auth.signed_out": "Signed out",
  "auth.account_locked": "Account locked after failed sign-ins",
  "auth.account_unlocked": "Account unlocked",
  "auth.password_changed": "Password changed",
  "auth.password_reset": "Password reset with a link",
  "auth.recovery_link_created": "Account recovery link issued",
  "session.revoked": "Session revoked",
  "session.all_revoked": "Signed out everywhere",
  "session.reuse_detected": "Reused session token: session ended",
  "mfa.enrolled": "Two-factor authentication turned on",
  "mfa.disabled": "Two-factor authentication turned off",
  "mfa.recovery_code_used": "Recovery code used",
  "mfa.recovery_codes_regenerated": "Recovery codes replaced",
  "mfa.challenge_failed": "Wrong two-factor code",
  "mfa.step_up_verified": "Identity confirmed with two-factor",
};

export const accountEventLabel = (action: string) => LABELS[action] ?? action;

/**
 * The signed-in person's own security events, newest first. RLS shows only rows
 * whose user_id is the withUser setting (policy account_events_own_rows).
 */
export async function listMyAccountEvents(userId: string, limit = 50): Promise<AccountEventRow[]> {
  const rows = await withUser(userId, (tx) =>
    tx.accountEvent.findMany({
      where: { userId },
      orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
      take: limit,
      select: { id: true, occurredAt: true, action: true, ip: true, userAgent: true },
    }),
  );
  return rows.map((row) => ({
    id: row.id,
    occurredAt: row.occurredAt.toISOString(),
    action: row.action,
    label: accountEventLabel(row.action),
    ip: row.ip,
    ...describeUserAgent(row.userAgent),
  }));
}
