import { AppError, isAppError } from "../errors";
import { withSystem } from "../db/system";
import type { Tx } from "../db/with-workspace";
import type { RequestContext } from "../http/request-context";
import { recordUserAuditEvent } from "../audit/record-user-audit-event";
import { generateSessionToken, hashToken } from "../auth/session-token";
import { createSession } from "../auth/sessions/create-session";
import { recordSignInFailure } from "../auth/record-sign-in-failure";
import { verifySecondFactor } from "./verify-second-factor";
import { userActor } from "../audit/record-audit-event";

// After a correct password, a user with MFA gets this challenge instead of a
// session: it grants nothing, lasts 5 minutes, and allows a few tries.
const CHALLENGE_TTL_MS = 5 * 60_000;
const MAX_ATTEMPTS = 5;

export const INVALID_CODE = "MFA_INVALID";
export const EXPIRED_CHALLENGE = "MFA_EXPIRED";

export async function createMfaChallenge(tx: Tx, userId: string): Promise<string> {
  const token = generateSessionToken();
  await tx.mfaChallenge.create({ data: { userId, tokenHash: hashToken(token), expiresAt: new Date(Date.now() + CHALLENGE_TTL_MS) } });
  return token;
}

/**
 * The second sign-in step: a TOTP or recovery code against a live challenge. A
 * wrong code counts toward the account's lockout like a wrong password.
 */
export async function completeMfaChallenge(options: { challenge: string; code: string; context: RequestContext }) {
  const { context } = options;
  const found = await withSystem((tx) =>
    tx.mfaChallenge.findUnique({
      where: { tokenHash: hashToken(options.challenge) },
      include: { user: { select: { id: true, email: true, lockedUntil: true } } },
    }),
  );
  const now = new Date();
  if (!found || found.consumedAt || found.expiresAt <= now || found.attempts >= MAX_ATTEMPTS || (found.user.lockedUntil && found.user.lockedUntil > now)) {
    throw new AppError("unauthenticated", EXPIRED_CHALLENGE);
  }
  const { user } = found;
  const result = await withSystem(async (tx) => {
    const factor = await verifySecondFactor(tx, { userId: user.id, email: user.email, code: options.code, context });
    if (!factor) {
      await tx.mfaChallenge.update({ where: { id: found.id }, data: { attempts: { increment: 1 } } });
      await recordUserAuditEvent(tx, user.id, {
        actor: userActor(user), action: "mfa.challenge_failed", context,
        target: { type: "user", id: user.id }, metadata: { stage: "sign_in" },
      });
      return null;
    }
    const { count } = await tx.mfaChallenge.updateMany({ where: { id: found.id, consumedAt: null }, data: { consumedAt: now } });
    if (count !== 1) return null;
    const { token, session } = await createSession(tx, { userId: user.id, context, mfaVerified: true });
    await recordUserAuditEvent(tx, user.id, {
      actor: userActor(user), action: "auth.sign_in_succeeded", context,
      target: { type: "session", id: session.id }, metadata: { method: `password+${factor}` },
    });
    return { token, userId: user.id, sessionId: session.id };
  }).catch((error) => {
    // Out of wrong-code budget: this challenge is spent; start again with the password later.
    if (isAppError(error) && error.code === "rate_limited") throw new AppError("unauthenticated", EXPIRED_CHALLENGE);
    throw error;
  });
  if (!result) {
    await recordSignInFailure({ user, locked: false, addressBlocked: false, context });
    throw new AppError("unauthenticated", INVALID_CODE);
  }
  return result;
}
