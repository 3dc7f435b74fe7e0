import { getConfig } from "../../config";
import type { Tx } from "../../db/with-workspace";
import type { RequestContext } from "../../http/request-context";
import { generateSessionToken, hashToken } from "../session-token";

const MINUTE = 60_000;

export async function createSession(tx: Tx, options: { userId: string; context: RequestContext; mfaVerified?: boolean }) {
  const config = getConfig();
  const token = generateSessionToken();
  const now = Date.now();
  const session = await tx.session.create({
    data: {
      userId: options.userId,
      tokenHash: hashToken(token),
      ip: options.context.ip,
      userAgent: options.context.userAgent,
      idleExpiresAt: new Date(now + config.SESSION_IDLE_MINUTES * MINUTE),
      absoluteExpiresAt: new Date(now + config.SESSION_ABSOLUTE_HOURS * 60 * MINUTE),
      mfaVerifiedAt: options.mfaVerified ? new Date(now) : null,
    },
  });
  return { token, session };
}
