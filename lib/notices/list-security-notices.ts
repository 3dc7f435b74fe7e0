import { withSystem } from "../db/system";
import { NOTICE_KINDS, type NoticeKind } from "./notice-kinds";

export type SecurityNoticeView = { id: string; message: string; detail: string | null; at: string };

/** The person's notices not yet dismissed, newest first (a handful at most is shown). */
export async function listSecurityNotices(userId: string): Promise<SecurityNoticeView[]> {
  const rows = await withSystem((tx) =>
    tx.securityNotice.findMany({ where: { userId, seenAt: null }, orderBy: { createdAt: "desc" }, take: 5, select: { id: true, kind: true, detail: true, createdAt: true } }),
  );
  return rows.map((row) => ({
    id: row.id,
    message: NOTICE_KINDS[row.kind as NoticeKind] ?? "Your account's security settings changed.",
    detail: row.detail,
    at: row.createdAt.toISOString(),
  }));
}
