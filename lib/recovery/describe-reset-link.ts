import { timingSafeEqual } from "node:crypto";
import { withSystem } from "../db/system";
import type { Tx } from "../db/with-workspace";
import { hashToken } from "../auth/session-token";
import { parseResetLink } from "./reset-link";

export type ResetLinkState =
  { status: "open"; resetId: string; tokenHash: string; userId: string; email: string; workspaceId: string | null; clearMfa: boolean } | { status: "invalid" | "used" | "revoked" | "expired" };

const sameHash = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Reads what a link is now, without changing it: malformed or unknown links are "invalid". */
export async function readResetLink(tx: Tx, link: string): Promise<ResetLinkState> {
  const parsed = parseResetLink(link);
  if (!parsed) return { status: "invalid" };
  const tokenHash = hashToken(parsed.token);
  const row = await tx.passwordReset.findUnique({
    where: { id: parsed.resetId },
    select: { id: true, tokenHash: true, userId: true, workspaceId: true, clearMfa: true, usedAt: true, revokedAt: true, expiresAt: true, user: { select: { email: true } } },
  });
  if (!row || !sameHash(row.tokenHash, tokenHash)) return { status: "invalid" };
  if (row.usedAt) return { status: "used" };
  if (row.revokedAt) return { status: "revoked" };
  if (row.expiresAt <= new Date()) return { status: "expired" };
  return { status: "open", resetId: row.id, tokenHash, userId: row.userId, email: row.user.email, workspaceId: row.workspaceId, clearMfa: row.clearMfa };
}

/** For the reset page: the link's state and, while it is open, whose account it resets. */
export async function describeResetLink(link: string): Promise<{ status: "open"; email: string } | { status: "invalid" | "used" | "revoked" | "expired" }> {
  const state = await withSystem((tx) => readResetLink(tx, link));
  return state.status === "open" ? { status: "open", email: state.email } : state;
}

export const RESET_LINK_GONE: Record<Exclude<ResetLinkState["status"], "open">, string> = {
  invalid: "This reset link is not valid. Check that you copied all of it, or ask for a new one.",
  used: "This reset link was already used. Each link works once: ask for a new one if you still need it.",
  revoked: "This reset link was replaced by a newer one. Use the latest link you were given.",
  expired: "This reset link has expired (links last one hour). Ask for a new one.",
};
