import { AppError, isAppError } from "../errors";
import { withSystem } from "../db/system";
import type { Tx } from "../db/with-workspace";
import type { RequestContext } from "../http/request-context";
import { recordUserAuditEvent } from "../audit/record-user-audit-event";
import { generateSessionToken, hashToken } from "../auth/session-token";
import { reserveSignInAttempt } from "../auth/reserve-sign-in-attempt";
import { recordSignInFailure } from "../auth/record-sign-in-failure";
import { completeSignIn } from "../auth/complete-sign-in";
import { verifySecondFactor } from "./verify-second-factor";
import { userActor } from "../audit/record-audit-event";

// After a correct password, a user with MFA gets this challenge instead of a
// session: it grants nothing, lasts 5 minutes, and allows a few tries.
const CHALLENGE_TTL_MS = 5 * 60_000;
export const MAX_CHALLENGE_ATTEMPTS = 5;

export const INVALID_CODE = "MFA_INVALID";
export const EXPIRED_CHALLENGE = "MFA_EXPIRED";

export async function createMfaChallenge(tx: Tx, userId: string): Promise<string> {
  const token = generateSessionToken();
  await tx.mfaChallenge.create({ data: { userId, tokenHash: hashToken(token), expiresAt: new Date(Date.now() + CHALLENGE_TTL_MS) } });
  return token;
}

/** Whose challenge this is, for the sign-in rate limit: the server's record, never a field the client sends. */
export async function challengeOwnerEmail(challenge: string): Promise<string | null> {
  const found = await withSystem((tx) => tx.mfaChallenge.findUnique({ where: { tokenHash: hashToken(challenge) }, select: { user: { select: { email: true } } } }));
  return found?.user.email ?? null;
}

/**
 * The second sign-in step: a TOTP or recovery code against a live challenge.
 * Three budgets are each spent before the code is looked at, so parallel guesses
 * cannot outrun them: the challenge's tries (one conditional UPDATE), the account's
 * lockout count (a reserved attempt, as for a password: a wrong code counts like a
 * wrong password), and the per-user budget of wrong codes (in verifySecondFactor).
 */
export async function completeMfaChallenge(options: { challenge: string; code: string; context: RequestContext }) {
  const { context } = options;
  const [challenge] = await withSystem(
    (tx) =>
      tx.$queryRaw<{ id: string; userId: string }[]>`
      UPDATE mfa_challenges SET attempts = attempts + 1
       WHERE token_hash = ${hashToken(options.challenge)} AND consumed_at IS NULL AND expires_at > now() AND attempts < ${MAX_CHALLENGE_ATTEMPTS}
      RETURNING id::text AS id, user_id::text AS "userId"`,
  );
  if (!challenge) throw new AppError("unauthenticated", EXPIRED_CHALLENGE);

  const attempt = await reserveSignInAttempt({ userId: challenge.userId, context });
  const { user } = attempt;
  if (!user || attempt.refusal !== null) {
    await recordSignInFailure({ attempt, reason: attempt.refusal ?? "unknown_account", context });
    throw new AppError("unauthenticated", EXPIRED_CHALLENGE);
  }

  const result = await withSystem(async (tx) => {
    const factor = await verifySecondFactor(tx, { userId: user.id, email: user.email, code: options.code, context });
    if (!factor) return null;
    // The challenge is spent by exactly one right code.
    const { count } = await tx.mfaChallenge.updateMany({ where: { id: challenge.id, consumedAt: null }, data: { consumedAt: new Date() } });
    if (count !== 1) return null;
    return completeSignIn(tx, { attempt, user, method: `password+${factor}`, mfaVerified: true, context });
  }).catch(async (error) => {
    // Out of wrong-code budget: this challenge is spent; start again with the password later.
    if (isAppError(error) && error.code === "rate_limited") {
      await recordSignInFailure({ attempt, reason: "wrong_code", context });
      throw new AppError("unauthenticated", EXPIRED_CHALLENGE);
    }
    throw error;
  });

  if (!result) {
    await withSystem((tx) =>
      recordUserAuditEvent(tx, user.id, {
        actor: userActor(user),
        action: "mfa.challenge_failed",
        context,
        target: { type: "user", id: user.id },
        metadata: { stage: "sign_in" },
      }),
    );
    await recordSignInFailure({ attempt, reason: "wrong_code", context });
    throw new AppError("unauthenticated", INVALID_CODE);
  }
  return result;
}
