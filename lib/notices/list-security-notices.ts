import { getConsoleContext } from "../workspaces/console-context";
import { NOTICE_KINDS, type NoticeKind } from "./notice-kinds";

export type SecurityNoticeView = { id: string; message: string; detail: string | null; at: string };

/** The person's notices not yet dismissed, newest first (a handful at most is shown). */
export async function listSecurityNotices(userId: string): Promise<SecurityNoticeView[]> {
  const { notices } = await getConsoleContext(userId);
  return notices.map((row) => ({
    id: row.id,
    message: NOTICE_KINDS[row.kind as NoticeKind] ?? "Your account's security settings changed.",
    detail: row.detail,
    at: row.createdAt.toISOString(),
  }));
}
