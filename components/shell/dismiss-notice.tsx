"use client";

import { useActionState } from "react";
import { dismissSecurityNotice } from "@/lib/actions/account/dismiss-security-notice";
import { idle } from "@/lib/actions/action-state";

export function DismissNotice({ noticeId }: { noticeId: string }) {
  const [, action, pending] = useActionState(dismissSecurityNotice, idle);
  return (
    <form action={action}>
      <input type="hidden" name="noticeId" value={noticeId} />
      <button type="submit" disabled={pending} className="shrink-0 rounded px-2 py-0.5 font-medium underline hover:bg-amber-100 dark:hover:bg-amber-900">
        Dismiss
      </button>
    </form>
  );
}
