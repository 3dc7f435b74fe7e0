import type { Tx } from "../../db/with-workspace";
import { generateSessionToken, hashToken } from "../session-token";

/**
 * A new token for a live session at a change of privilege (password change, MFA
 * step, new role), so a token captured before the change is worth nothing after
 * the grace window. The caller sets the returned token as the cookie.
 */
export async function rotateSession(tx: Tx, sessionId: string): Promise<string> {
  const token = generateSessionToken();
  const current = await tx.session.findUniqueOrThrow({ where: { id: sessionId }, select: { tokenHash: true } });
  await tx.session.update({
    where: { id: sessionId },
    data: { tokenHash: hashToken(token), previousTokenHash: current.tokenHash, rotatedAt: new Date() },
  });
  return token;
}
