import { listSecurityNotices } from "@/lib/notices/list-security-notices";
import { LocalTime } from "@/components/ui/local-time";
import { DismissNotice } from "./dismiss-notice";

/**
 * The signed-in person's undismissed security notices (password, MFA or session
 * changes), at the top of every page until they dismiss each one.
 */
export async function SecurityNotices({ userId }: { userId: string }) {
  const notices = await listSecurityNotices(userId);
  if (notices.length === 0) return null;
  return (
    <section aria-label="Security notices" className="space-y-2 border-b border-amber-300 bg-amber-50 px-6 py-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
      {notices.map((notice) => (
        <div key={notice.id} data-testid="security-notice" className="flex items-start justify-between gap-4">
          <p>
            {notice.message}
            {notice.detail ? <> ({notice.detail})</> : null}{" "}
            <span className="text-amber-700 dark:text-amber-300">
              <LocalTime iso={notice.at} />
            </span>
            . If this was not you, change your password and review your sessions under Account → Security.
          </p>
          <DismissNotice noticeId={notice.id} />
        </div>
      ))}
    </section>
  );
}
