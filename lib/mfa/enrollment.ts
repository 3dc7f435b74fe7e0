import QRCode from "qrcode";
import { AppError } from "../errors";
import { withSystem } from "../db/system";
import type { RequestContext } from "../http/request-context";
import { decrypt, encrypt } from "../crypto/envelope";
import { recordUserAuditEvent } from "../audit/record-user-audit-event";
import { rotateSession } from "../auth/sessions/rotate-session";
import { endOtherSessions } from "../auth/sessions/end-other-sessions";
import type { ValidSession } from "../auth/sessions/check-session";
import { groupKey, newTotpSecret, otpauthUri, verifyTotp } from "./totp";
import { generateRecoveryCodes, storeRecoveryCodes } from "./recovery-codes";
import { userActor } from "../audit/record-audit-event";
import { recordSecurityNotice } from "../notices/record-security-notice";

/** Begins enrollment: a new secret, kept encrypted as pending until a code proves the app has it. */
export async function startEnrollment(session: ValidSession): Promise<void> {
  const secret = newTotpSecret();
  await withSystem(async (tx) => {
    const user = await tx.user.findUniqueOrThrow({ where: { id: session.user.id }, select: { mfaEnabledAt: true } });
    if (user.mfaEnabledAt) throw new AppError("conflict", "Two-factor authentication is already on.");
    await tx.user.update({ where: { id: session.user.id }, data: { mfaPendingSecretEnc: encrypt(secret, session.user.id) } });
  });
}

export type PendingEnrollment = { qrDataUrl: string; key: string; uri: string };

/** For the enrollment page only: the pending secret as a QR code and a typeable key. */
export async function getPendingEnrollment(userId: string, email: string): Promise<PendingEnrollment | null> {
  const user = await withSystem((tx) => tx.user.findUniqueOrThrow({ where: { id: userId }, select: { mfaPendingSecretEnc: true, mfaEnabledAt: true } }));
  if (!user.mfaPendingSecretEnc || user.mfaEnabledAt) return null;
  const secret = decrypt(user.mfaPendingSecretEnc, userId);
  const uri = otpauthUri(secret, email);
  return { uri, key: groupKey(secret), qrDataUrl: await QRCode.toDataURL(uri, { errorCorrectionLevel: "M", margin: 2, width: 240 }) };
}

/**
 * Turns MFA on once a code from the app matches the pending secret; returns the
 * recovery codes, the only time they exist in plain text. The session counts as
 * freshly verified and gets a new token (a change of privilege); every other
 * session of the user ends, since none of them passed the new factor.
 */
export async function confirmEnrollment(options: { session: ValidSession; code: string; context: RequestContext }) {
  const { session, context } = options;
  const codes = generateRecoveryCodes();
  return withSystem(async (tx) => {
    const user = await tx.user.findUniqueOrThrow({ where: { id: session.user.id }, select: { mfaPendingSecretEnc: true, mfaEnabledAt: true } });
    if (user.mfaEnabledAt) throw new AppError("conflict", "Two-factor authentication is already on.");
    if (!user.mfaPendingSecretEnc) throw new AppError("conflict", "Start the setup again: no authenticator is waiting to be confirmed.");
    const secret = decrypt(user.mfaPendingSecretEnc, session.user.id);
    const step = await verifyTotp(secret, options.code.trim(), null);
    if (step === null) throw new AppError("invalid_input", "Check the highlighted fields.", { code: ["That code does not match. Enter the current 6-digit code from your app."] });
    await tx.user.update({
      where: { id: session.user.id },
      data: { mfaSecretEnc: encrypt(secret, session.user.id), mfaPendingSecretEnc: null, mfaEnabledAt: new Date(), mfaLastTimeStep: step },
    });
    await storeRecoveryCodes(tx, session.user.id, codes);
    await tx.session.update({ where: { id: session.sessionId }, data: { mfaVerifiedAt: new Date() } });
    const token = await rotateSession(tx, session.sessionId);
    const otherSessionsEnded = await endOtherSessions(tx, { userId: session.user.id, exceptSessionId: session.sessionId, reason: "mfa_enrolled" });
    await recordSecurityNotice(tx, session.user.id, "mfa_enabled");
    await recordUserAuditEvent(tx, session.user.id, {
      actor: userActor(session.user),
      action: "mfa.enrolled",
      target: { type: "user", id: session.user.id },
      metadata: { method: "totp", recoveryCodes: codes.length, otherSessionsEnded },
      context,
    });
    return { token, recoveryCodes: codes };
  });
}
