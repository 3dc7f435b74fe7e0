import type { Tx } from "../../db/with-workspace";
import { generateSessionToken, hashToken } from "../session-token";

/**
 * Keeps the token family: the token a rotation replaced joins the session's
 * superseded tokens (its primary key records a token once), so any generation,
 * not only the last, is known as this session's when a stolen copy comes back.
 */
export async function recordSupersededToken(tx: Tx, sessionId: string, tokenHash: string, at: Date): Promise<void> {
  await tx.sessionSupersededToken.create({ data: { sessionId, tokenHash, supersededAt: at } });
}

/**
 * A new token for a live session at a change of privilege (password change, MFA
 * step, new role), so a token captured before the change is worth nothing after
 * the grace window. The caller sets the returned token as the cookie.
 */
export async function rotateSession(tx: Tx, sessionId: string): Promise<string> {
  const token = generateSessionToken();
  const now = new Date();
  // One statement reads the current token and replaces it under the row lock, so
  // two rotations of one session each supersede the token the other left.
  const [row] = await tx.$queryRaw<{ superseded: string }[]>`
    UPDATE sessions SET previous_token_hash = token_hash, token_hash = ${hashToken(token)}, rotated_at = ${now}
    WHERE id = ${sessionId}::uuid
    RETURNING previous_token_hash AS superseded`;
  if (!row) throw new Error(`session ${sessionId} does not exist`);
  await recordSupersededToken(tx, sessionId, row.superseded, now);
  return token;
}
