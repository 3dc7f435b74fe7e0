import { withSystem } from "../../db/system";
import { hashToken } from "../session-token";

/** Ends the session a token belongs to; later requests carrying it are refused. */
export async function revokeSessionByToken(token: string, reason: string): Promise<void> {
  await withSystem((tx) =>
    tx.session.updateMany({ where: { tokenHash: hashToken(token), revokedAt: null }, data: { revokedAt: new Date(), revokedReason: reason } }),
  );
}
