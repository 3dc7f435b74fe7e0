"use client";

import { useEffect, useId, useRef, useState } from "react";
import { Button } from "./button";

type Props = {
  trigger: string;
  title: string;
  children: React.ReactNode;
  confirmLabel: string;
  action: (formData: FormData) => void;
  hidden?: Record<string, string>;
  pending?: boolean;
  tone?: "danger" | "primary";
};

/**
 * A destructive action behind a modal <dialog>: focus moves into it, Escape
 * cancels, and nothing happens until the person confirms.
 */
export function ConfirmDialog({ trigger, title, children, confirmLabel, action, hidden = {}, pending, tone = "danger" }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  // Mounted the first time it is asked for: a table of rows, each with its own
  // confirmation, would otherwise render every one of them with the page.
  const [mounted, setMounted] = useState(false);
  const [opening, setOpening] = useState(false);
  useEffect(() => {
    if (!opening) return;
    dialog.current?.showModal();
    setOpening(false);
  }, [opening]);
  return (
    <>
      <Button
        type="button"
        variant={tone === "danger" ? "danger" : "primary"}
        pending={pending}
        onClick={() => {
          setMounted(true);
          setOpening(true);
        }}
      >
        {trigger}
      </Button>
      {mounted ? (
        <dialog
          ref={dialog}
          aria-labelledby={titleId}
          // text-left and whitespace-normal: a dialog opened from a right-aligned or nowrap table cell would inherit them.
          className="m-auto w-full max-w-md whitespace-normal rounded-xl text-left border border-zinc-200 bg-white p-6 text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100"
        >
          <form
            action={(formData) => {
              dialog.current?.close();
              action(formData);
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
      ) : null}
    </>
  );
}
