import type { Tx } from "../db/with-workspace";
import type { RequestContext } from "../http/request-context";
import { decrypt } from "../crypto/envelope";
import { recordUserAuditEvent } from "../audit/record-user-audit-event";
import { verifyTotp } from "./totp";
import { consumeRecoveryCode } from "./recovery-codes";
import { AppError } from "../errors";
import { releaseLimitedAttempt, reserveLimitedAttempt } from "../rate-limit/consume";
import { userActor } from "../audit/record-audit-event";

export type SecondFactor = "totp" | "recovery_code";

type Options = { userId: string; email: string; code: string; context: RequestContext };

/**
 * A TOTP code (replays refused) or an unused recovery code for a user with MFA on.
 * Remembers the accepted time step and audits a recovery code's use, in `tx`.
 * Every caller shares one budget of wrong codes per user, kept outside the
 * transaction so a rolled-back attempt still counts. Each try spends a point of
 * the budget before its code is looked at (an atomic increment), and only a right
 * code gives it back: parallel guesses cannot all pass a "budget left?" read
 * before any of them is counted.
 */
export async function verifySecondFactor(tx: Tx, options: Options): Promise<SecondFactor | null> {
  const budget = await reserveLimitedAttempt("secondFactorFailuresPerUser", options.userId);
  if (!budget.allowed) {
    throw new AppError("rate_limited", `Too many wrong codes. Try again in ${Math.max(1, Math.ceil(budget.resetSeconds / 60))} minutes.`);
  }
  const factor = await checkCode(tx, options);
  if (factor) await releaseLimitedAttempt("secondFactorFailuresPerUser", options.userId);
  return factor;
}

async function checkCode(tx: Tx, options: Options): Promise<SecondFactor | null> {
  const user = await tx.user.findUniqueOrThrow({
    where: { id: options.userId },
    select: { mfaSecretEnc: true, mfaLastTimeStep: true },
  });
  if (!user.mfaSecretEnc) return null;
  const code = options.code.trim().replace(/\s/g, "");
  if (/^\d{6}$/.test(code)) {
    const step = await verifyTotp(decrypt(user.mfaSecretEnc, options.userId), code, user.mfaLastTimeStep);
    if (step === null) return null;
    // Conditional, so two requests racing with the same code cannot both pass.
    const { count } = await tx.user.updateMany({
      where: { id: options.userId, OR: [{ mfaLastTimeStep: null }, { mfaLastTimeStep: { lt: step } }] },
      data: { mfaLastTimeStep: step },
    });
    return count === 1 ? "totp" : null;
  }
  if (!(await consumeRecoveryCode(tx, options.userId, code))) return null;
  const left = await tx.mfaRecoveryCode.count({ where: { userId: options.userId, usedAt: null } });
  await recordUserAuditEvent(tx, options.userId, {
    actor: userActor({ id: options.userId, email: options.email }),
    action: "mfa.recovery_code_used",
    target: { type: "user", id: options.userId },
    metadata: { codesLeft: left },
    context: options.context,
  });
  return "recovery_code";
}
