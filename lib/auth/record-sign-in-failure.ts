import { getConfig } from "../config";
import { withSystem } from "../db/system";
import type { RequestContext } from "../http/request-context";
import { recordUserAuditEvent } from "../audit/record-user-audit-event";
import { userActor } from "../audit/record-audit-event";

type Options = {
  user: { id: string; email: string; lockedUntil: Date | null } | null;
  locked: boolean;
  addressBlocked: boolean;
  context: RequestContext;
};

/**
 * Counts a failed sign-in against the account and the address (a sliding window:
 * rows within the last LOCKOUT_WINDOW_SECONDS) and locks the account at the
 * threshold. Never records what was typed.
 */
export async function recordSignInFailure({ user, locked, addressBlocked, context }: Options): Promise<void> {
  const config = getConfig();
  const now = new Date();
  await withSystem(async (tx) => {
    await tx.signInFailure.create({ data: { userId: user?.id ?? null, ip: context.ip } });
    if (!user) return;
    const failures = await tx.signInFailure.count({
      where: { userId: user.id, occurredAt: { gte: new Date(now.getTime() - config.LOCKOUT_WINDOW_SECONDS * 1000) } },
    });
    const reason = locked ? "account_locked" : addressBlocked ? "address_blocked" : "wrong_password";
    const actor = userActor(user);
    await recordUserAuditEvent(tx, user.id, {
      actor, action: "auth.sign_in_failed", context, target: { type: "user", id: user.id },
      metadata: { reason, failuresInWindow: failures },
    });
    if (locked || failures < config.LOCKOUT_THRESHOLD) return;
    const until = new Date(now.getTime() + config.LOCKOUT_DURATION_SECONDS * 1000);
    await tx.user.update({ where: { id: user.id }, data: { lockedUntil: until } });
    await recordUserAuditEvent(tx, user.id, {
      actor: { type: "system", label: "brute-force protection" }, action: "auth.account_locked", context,
      target: { type: "user", id: user.id },
      metadata: { failuresInWindow: failures, windowSeconds: config.LOCKOUT_WINDOW_SECONDS, lockedUntil: until.toISOString() },
    });
  });
}
