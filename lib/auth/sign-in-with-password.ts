import { AppError } from "../errors";
import { withSystem } from "../db/system";
import type { RequestContext } from "../http/request-context";
import { getDummyHash, hashPassword, needsRehash, verifyPassword } from "./password";
import { reserveSignInAttempt } from "./reserve-sign-in-attempt";
import { recordSignInFailure } from "./record-sign-in-failure";
import { completeSignIn } from "./complete-sign-in";
import { createMfaChallenge } from "../mfa/sign-in-challenge";

export const INVALID_CREDENTIALS = "Invalid email or password";

export type PasswordStepResult = { kind: "session"; token: string; userId: string; sessionId: string } | { kind: "mfa_required"; challenge: string };

/**
 * Email and password to a new server-side session, or, for a user with MFA, to a
 * short-lived second-step challenge that grants nothing by itself. Every refusal
 * (unknown email, wrong password, locked account, address with too many failures)
 * is the same error after the same work: the attempt is reserved first (one
 * transaction under the account's row lock), then one Argon2 verification runs,
 * against the account's hash only when the reservation admitted it and against a
 * dummy hash otherwise, then the failure is settled with one account event.
 */
export async function signInWithPassword(options: { email: string; password: string; context: RequestContext }): Promise<PasswordStepResult> {
  const { email, password, context } = options;
  const attempt = await reserveSignInAttempt({ email, context });
  const { user } = attempt;
  const admitted = user !== null && attempt.refusal === null;
  const passwordOk = await verifyPassword(admitted ? user.passwordHash : await getDummyHash(), password);

  if (!admitted || !passwordOk) {
    await recordSignInFailure({ attempt, reason: attempt.refusal ?? "wrong_password", context });
    throw new AppError("unauthenticated", INVALID_CREDENTIALS);
  }

  const upgradedHash = needsRehash(user.passwordHash) ? await hashPassword(password) : null;
  if (upgradedHash) await withSystem((tx) => tx.user.update({ where: { id: user.id }, data: { passwordHash: upgradedHash } }));

  if (user.mfaEnabledAt) {
    // Half a sign-in: the password's own reservation is released, but the account's
    // earlier failures and any lock stay until the second factor passes.
    return withSystem(async (tx) => {
      await tx.signInFailure.deleteMany({ where: { id: attempt.id } });
      return { kind: "mfa_required" as const, challenge: await createMfaChallenge(tx, user.id) };
    });
  }
  const session = await withSystem((tx) => completeSignIn(tx, { attempt, user, method: "password", mfaVerified: false, context, metadata: { passwordRehashed: Boolean(upgradedHash) } }));
  return { kind: "session", ...session };
}
