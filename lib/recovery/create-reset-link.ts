import { AppError } from "../errors";
import type { Tx } from "../db/with-workspace";
import { generateSessionToken, hashToken } from "../auth/session-token";
import { RESET_LINK_TTL_MS } from "./reset-link";

type Options = { userId: string; workspaceId: string | null; issuedById: string | null; clearMfa: boolean };

/**
 * A new one-time reset link for a person, in the caller's transaction. Their
 * previous open link is revoked first; the partial unique index
 * password_resets_open_user_key refuses a second open link if two are issued at
 * once, so at most one link per person ever works.
 */
export async function createResetLink(tx: Tx, options: Options) {
  const now = new Date();
  const { count: revokedPrevious } = await tx.passwordReset.updateMany({
    where: { userId: options.userId, usedAt: null, revokedAt: null },
    data: { revokedAt: now },
  });
  const token = generateSessionToken();
  try {
    const reset = await tx.passwordReset.create({
      data: { ...options, tokenHash: hashToken(token), createdAt: now, expiresAt: new Date(now.getTime() + RESET_LINK_TTL_MS) },
      select: { id: true, expiresAt: true },
    });
    return { resetId: reset.id, token, expiresAt: reset.expiresAt, revokedPrevious };
  } catch (error) {
    if ((error as { code?: unknown }).code === "P2002") {
      throw new AppError("conflict", "Another reset link for this person was issued at the same moment. Try again.");
    }
    throw error;
  }
}
