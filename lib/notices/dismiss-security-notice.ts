import { AppError } from "../errors";
import { withSystem } from "../db/system";

/** Marks one of the caller's own notices seen; someone else's id matches nothing. */
export async function dismissSecurityNotice(options: { userId: string; noticeId: string }): Promise<void> {
  const { count } = await withSystem((tx) => tx.securityNotice.updateMany({ where: { id: options.noticeId, userId: options.userId, seenAt: null }, data: { seenAt: new Date() } }));
  if (count === 0) throw new AppError("not_found", "That notice was already dismissed.");
}
