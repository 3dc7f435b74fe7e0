import { getConfig } from "../config";
import { withSystem } from "../db/system";
import type { RequestContext } from "../http/request-context";
import { recordUserAuditEvent } from "../audit/record-user-audit-event";
import { userActor } from "../audit/record-audit-event";
import type { SignInAttempt } from "./reserve-sign-in-attempt";

type Options = {
  attempt: SignInAttempt;
  /** Why it failed: the attempt's refusal, or a wrong password or code. */
  reason: NonNullable<SignInAttempt["refusal"]> | "wrong_password" | "wrong_code";
  context: RequestContext;
};

/**
 * Settles a failed attempt whose row reserveSignInAttempt already inserted: one
 * account event (for an unknown email too, with no account, so operators see
 * those attempts), and the lock once the account's attempts in the window reach
 * LOCKOUT_THRESHOLD. Never records what was typed.
 */
export async function recordSignInFailure({ attempt, reason, context }: Options): Promise<void> {
  const config = getConfig();
  const { user } = attempt;
  await withSystem(async (tx) => {
    await recordUserAuditEvent(tx, user?.id ?? null, {
      actor: user ? userActor(user) : { type: "system", label: "unknown account" },
      action: "auth.sign_in_failed",
      context,
      ...(user ? { target: { type: "user", id: user.id } } : {}),
      metadata: { reason, failuresInWindow: user ? attempt.failuresInWindow : 0 },
    });
    if (!user || reason === "account_locked" || attempt.failuresInWindow < config.LOCKOUT_THRESHOLD) return;
    // Conditional, so of several failures reaching the threshold together exactly one locks and says so.
    const until = new Date(Date.now() + config.LOCKOUT_DURATION_SECONDS * 1000);
    const { count } = await tx.user.updateMany({
      where: { id: user.id, OR: [{ lockedUntil: null }, { lockedUntil: { lte: new Date() } }] },
      data: { lockedUntil: until },
    });
    if (count !== 1) return;
    await recordUserAuditEvent(tx, user.id, {
      actor: { type: "system", label: "brute-force protection" },
      action: "auth.account_locked",
      context,
      target: { type: "user", id: user.id },
      metadata: { failuresInWindow: attempt.failuresInWindow, windowSeconds: config.LOCKOUT_WINDOW_SECONDS, lockedUntil: until.toISOString() },
    });
  });
}
