import { getConfig } from "../config";
import { AppError } from "../errors";
import { log } from "../log";
import { withSystem } from "../db/system";
import type { RequestContext } from "../http/request-context";
import { recordUserAuditEvent } from "../audit/record-user-audit-event";
import { getDummyHash, hashPassword, needsRehash, verifyPassword } from "./password";
import { createSession } from "./sessions/create-session";
import { recordSignInFailure } from "./record-sign-in-failure";
import { createMfaChallenge } from "../mfa/sign-in-challenge";
import { userActor } from "../audit/record-audit-event";

export const INVALID_CREDENTIALS = "Invalid email or password";

export type PasswordStepResult =
  | { kind: "session"; token: string; userId: string; sessionId: string }
  | { kind: "mfa_required"; challenge: string };

/**
 * Email and password to a new server-side session, or, for a user with MFA, to a
 * short-lived second-step challenge that grants nothing by itself. Every refusal (unknown email,
 * wrong password, locked account, address with too many failures) is the same
 * error after the same work: the password is always verified against a hash.
 */
export async function signInWithPassword(options: { email: string; password: string; context: RequestContext }): Promise<PasswordStepResult> {
  const { email, password, context } = options;
  const config = getConfig();
  const now = new Date();
  const windowStart = new Date(now.getTime() - config.LOCKOUT_WINDOW_SECONDS * 1000);

  const { user, ipFailures } = await withSystem(async (tx) => ({
    user: await tx.user.findUnique({
      where: { email },
      select: { id: true, email: true, passwordHash: true, lockedUntil: true, mfaEnabledAt: true, _count: { select: { signInFailures: true } } },
    }),
    ipFailures: context.ip ? await tx.signInFailure.count({ where: { ip: context.ip, occurredAt: { gte: windowStart } } }) : 0,
  }));
  const passwordOk = await verifyPassword(user?.passwordHash ?? (await getDummyHash()), password);
  const locked = Boolean(user?.lockedUntil && user.lockedUntil > now);
  const addressBlocked = ipFailures >= config.LOCKOUT_IP_THRESHOLD;

  if (!user || !passwordOk || locked || addressBlocked) {
    await recordSignInFailure({ user, locked, addressBlocked, context });
    if (!user) log.info({ requestId: context.requestId, ip: context.ip }, "sign-in failed for an unknown account");
    throw new AppError("unauthenticated", INVALID_CREDENTIALS);
  }

  const upgradedHash = needsRehash(user.passwordHash) ? await hashPassword(password) : null;
  return withSystem(async (tx) => {
    // A success clears the account's failure count; most sign-ins have nothing to clear.
    if (user._count.signInFailures > 0) await tx.signInFailure.deleteMany({ where: { userId: user.id } });
    if (user.lockedUntil || upgradedHash) {
      await tx.user.update({
        where: { id: user.id },
        data: { lockedUntil: null, ...(upgradedHash ? { passwordHash: upgradedHash } : {}) },
      });
    }
    if (user.mfaEnabledAt) return { kind: "mfa_required" as const, challenge: await createMfaChallenge(tx, user.id) };
    const { token, session } = await createSession(tx, { userId: user.id, context });
    const actor = userActor(user);
    if (user.lockedUntil) {
      await recordUserAuditEvent(tx, user.id, {
        actor: { type: "system", label: "lockout expiry" }, action: "auth.account_unlocked", context,
        target: { type: "user", id: user.id }, metadata: { automatic: true },
      });
    }
    await recordUserAuditEvent(tx, user.id, {
      actor, action: "auth.sign_in_succeeded", context,
      target: { type: "session", id: session.id }, metadata: { method: "password", passwordRehashed: Boolean(upgradedHash) },
    });
    return { kind: "session" as const, token, userId: user.id, sessionId: session.id };
  });
}
