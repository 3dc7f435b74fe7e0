"use client";

import { useEffect, useRef, useState } from "react";
import { usePathname } from "next/navigation";
import { keepFocusInside } from "@/components/ui/keep-focus-inside";

/**
 * The sidebar on a narrow screen: a Menu button in the top bar opens it as a
 * modal drawer. The page behind is inert, Tab cycles inside (the browser would
 * otherwise leave for its own toolbar), Escape closes it, and focus returns to
 * the button. Following a link closes it.
 */
export function MobileNav({ children }: { children: React.ReactNode }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const [open, setOpen] = useState(false);
  const pathname = usePathname();

  useEffect(() => {
    dialog.current?.close();
  }, [pathname]);

  return (
    <>
      <button
        ref={button}
        type="button"
        aria-haspopup="dialog"
        aria-expanded={open}
        onClick={() => {
          dialog.current?.showModal();
          setOpen(true);
        }}
        className="-ml-1 inline-flex size-9 items-center justify-center rounded-md text-zinc-700 hover:bg-zinc-100 lg:hidden dark:text-zinc-300 dark:hover:bg-zinc-800"
      >
        <svg viewBox="0 0 20 20" className="size-5" fill="none" stroke="currentColor" strokeWidth="1.75" strokeLinecap="round" aria-hidden>
          <path d="M3 5h14M3 10h14M3 15h14" />
        </svg>
        <span className="sr-only">Menu</span>
      </button>
      <dialog
        ref={dialog}
        aria-label="Menu"
        onKeyDown={keepFocusInside}
        onClose={() => {
          setOpen(false);
          button.current?.focus();
        }}
        onClick={(event) => {
          // A click on the backdrop lands on the dialog itself; a link inside navigates away.
          const target = event.target as Element;
          if (target === event.currentTarget || target.closest("a")) event.currentTarget.close();
        }}
        className="m-0 h-dvh max-h-none w-72 max-w-[85vw] border-r border-zinc-200 bg-white p-0 text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-800 dark:bg-zinc-950 dark:text-zinc-100"
      >
        <div className="relative flex h-full flex-col gap-6 overflow-y-auto px-4 py-5">
          <button
            type="button"
            onClick={() => dialog.current?.close()}
            className="absolute right-3 top-4 inline-flex size-8 items-center justify-center rounded-md text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-800"
          >
            <svg viewBox="0 0 20 20" className="size-5" fill="none" stroke="currentColor" strokeWidth="1.75" strokeLinecap="round" aria-hidden>
              <path d="M5 5l10 10M15 5L5 15" />
            </svg>
            <span className="sr-only">Close menu</span>
          </button>
          {children}
        </div>
      </dialog>
    </>
  );
}
