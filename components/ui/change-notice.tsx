"use client";

import { useSyncExternalStore } from "react";

export type Notice = { tone: "ok" | "error"; text: string };

const TONES = {
  ok: "border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100",
  error: "border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100",
};

/**
 * What the last change on a table's page did, said above the table: the row that
 * made it may be gone (removed, deleted, restored) or redrawn by the page's
 * refresh. This tab's memory only; one notice at a time per page kind.
 */
export function createChangeNotice(testId: string) {
  let current: Notice | null = null;
  const listeners = new Set<() => void>();
  const announce = (notice: Notice | null) => {
    current = notice;
    listeners.forEach((listener) => listener());
  };
  const subscribe = (listener: () => void) => {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  };

  function ChangeNotice() {
    const notice = useSyncExternalStore(
      subscribe,
      () => current,
      () => null,
    );
    // Both live regions stay in the page, so a screen reader announces each new text.
    return (
      <>
        {(["ok", "error"] as const).map((tone) => (
          <div key={tone} role={tone === "ok" ? "status" : "alert"} className="empty:hidden">
            {notice?.tone === tone ? (
              <p data-testid={testId} className={`flex items-start justify-between gap-3 rounded-md border px-3 py-2 text-sm ${TONES[tone]}`}>
                <span>{notice.text}</span>
                <button type="button" onClick={() => announce(null)} className="shrink-0 font-medium underline">
                  Dismiss
                </button>
              </p>
            ) : null}
          </div>
        ))}
      </>
    );
  }
  return { announce, ChangeNotice };
}
