"use client";

import { useId, type ReactNode, type RefObject } from "react";
import { Button } from "@/components/ui/button";

type Props = {
  dialog: RefObject<HTMLDialogElement | null>;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  tone?: "danger" | "primary";
  hidden: Record<string, string>;
  onConfirm: (form: FormData) => void;
};

/**
 * A confirmation opened from a row's menu (the menu is the trigger, so this has
 * none of its own). Escape or Cancel changes nothing; focus goes back to the
 * menu's button when it closes.
 */
export function MemberDialog({ dialog, title, children, confirmLabel, tone = "danger", hidden, onConfirm }: Props) {
  const titleId = useId();
  return (
    <dialog
      ref={dialog}
      aria-labelledby={titleId}
      // text-left and whitespace-normal: opened from a right-aligned, nowrap table cell.
      className="m-auto w-full max-w-md whitespace-normal rounded-xl border border-zinc-200 bg-white p-6 text-left text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100"
    >
      <form
        action={(form) => {
          dialog.current?.close();
          onConfirm(form);
        }}
        className="space-y-4"
      >
        <h2 id={titleId} className="text-lg font-semibold">
          {title}
        </h2>
        <div className="text-sm text-zinc-600 dark:text-zinc-300">{children}</div>
        {Object.entries(hidden).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <div className="flex flex-wrap justify-end gap-2">
          <Button type="button" variant="secondary" onClick={() => dialog.current?.close()} autoFocus>
            Cancel
          </Button>
          <Button type="submit" variant={tone === "danger" ? "danger" : "primary"}>
            {confirmLabel}
          </Button>
        </div>
      </form>
    </dialog>
  );
}
