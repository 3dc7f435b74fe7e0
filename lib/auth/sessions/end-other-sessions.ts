import type { Tx } from "../../db/with-workspace";

/**
 * Ends every other live session of the user, in the caller's transaction, when
 * what they authenticated with changes (password, MFA turned on or off): a
 * session signed in under the old credentials, a thief's included, must sign in
 * again under the new ones. Returns how many ended.
 */
export async function endOtherSessions(tx: Tx, options: { userId: string; exceptSessionId: string; reason: "password_changed" | "mfa_enrolled" | "mfa_disabled" }): Promise<number> {
  const { count } = await tx.session.updateMany({
    where: { userId: options.userId, revokedAt: null, id: { not: options.exceptSessionId } },
    data: { revokedAt: new Date(), revokedReason: options.reason },
  });
  return count;
}
