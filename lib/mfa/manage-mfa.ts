import { AppError } from "../errors";
import { withSystem } from "../db/system";
import type { RequestContext } from "../http/request-context";
import { recordUserAuditEvent } from "../audit/record-user-audit-event";
import type { ValidSession } from "../auth/sessions/check-session";
import { verifySecondFactor } from "./verify-second-factor";
import { generateRecoveryCodes, storeRecoveryCodes } from "./recovery-codes";
import { mfaRequiredFor } from "./mfa-policy";
import { userActor } from "../audit/record-audit-event";
import { endOtherSessions } from "../auth/sessions/end-other-sessions";
import { recordSecurityNotice } from "../notices/record-security-notice";

type Options = { session: ValidSession; code: string; context: RequestContext };

const wrongCode = () => new AppError("invalid_input", "Check the highlighted fields.", { code: ["That code is not valid. Use a current code from your app or an unused recovery code."] });

/**
 * Turns MFA off with a current code or a recovery code, unless a workspace requires
 * it of this member. Every other session ends and this one no longer counts as
 * MFA-verified: no session keeps a second factor the account no longer has.
 */
export async function disableMfa({ session, code, context }: Options): Promise<void> {
  await withSystem(async (tx) => {
    await tx.$queryRaw`SELECT set_config('app.user_id', ${session.user.id}, true)`;
    const memberships = await tx.membership.findMany({
      where: { userId: session.user.id },
      select: { role: true, workspace: { select: { name: true, mfaPolicy: true } } },
    });
    const requiring = memberships.find((m) => mfaRequiredFor(m.workspace.mfaPolicy, m.role));
    if (requiring) throw new AppError("forbidden", `${requiring.workspace.name} requires MFA of you, so it cannot be turned off.`);
    const factor = await verifySecondFactor(tx, { userId: session.user.id, email: session.user.email, code, context });
    if (!factor) throw wrongCode();
    await tx.user.update({ where: { id: session.user.id }, data: { mfaSecretEnc: null, mfaEnabledAt: null, mfaLastTimeStep: null, mfaPendingSecretEnc: null } });
    await tx.mfaRecoveryCode.deleteMany({ where: { userId: session.user.id } });
    await tx.session.update({ where: { id: session.sessionId }, data: { mfaVerifiedAt: null } });
    const otherSessionsEnded = await endOtherSessions(tx, { userId: session.user.id, exceptSessionId: session.sessionId, reason: "mfa_disabled" });
    await recordSecurityNotice(tx, session.user.id, "mfa_disabled");
    await recordUserAuditEvent(tx, session.user.id, {
      actor: userActor(session.user),
      action: "mfa.disabled",
      target: { type: "user", id: session.user.id },
      metadata: { verifiedWith: factor, otherSessionsEnded },
      context,
    });
  });
}

/** A new set of recovery codes (the old set dies), after a current code. */
export async function regenerateRecoveryCodes({ session, code, context }: Options): Promise<string[]> {
  const codes = generateRecoveryCodes();
  return withSystem(async (tx) => {
    const factor = await verifySecondFactor(tx, { userId: session.user.id, email: session.user.email, code, context });
    if (!factor) throw wrongCode();
    await storeRecoveryCodes(tx, session.user.id, codes);
    await recordSecurityNotice(tx, session.user.id, "recovery_codes_regenerated");
    await recordUserAuditEvent(tx, session.user.id, {
      actor: userActor(session.user),
      action: "mfa.recovery_codes_regenerated",
      target: { type: "user", id: session.user.id },
      metadata: { count: codes.length },
      context,
    });
    return codes;
  });
}

export async function getMfaStatus(userId: string) {
  return withSystem(async (tx) => {
    const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { mfaEnabledAt: true, mfaPendingSecretEnc: true } });
    const codesLeft = await tx.mfaRecoveryCode.count({ where: { userId, usedAt: null } });
    return { enabled: Boolean(user.mfaEnabledAt), enabledAt: user.mfaEnabledAt?.toISOString() ?? null, pending: Boolean(user.mfaPendingSecretEnc), codesLeft };
  });
}
