"use client";

import { useCallback, useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent } from "react";
import { createPortal } from "react-dom";

export type ActionMenuItem = { label: string; onSelect: () => void; tone?: "danger" };

type Props = { label: string; items: ActionMenuItem[] };

/**
 * A row's "…" menu, as the ARIA menu button pattern has it: Enter, Space or
 * Arrow Down opens it on the first item (Arrow Up on the last), arrows and
 * Home/End move, a letter jumps to the next item starting with it, Escape or Tab
 * closes it and focus is back on the button. An item hands focus back to the
 * button before it runs, so a dialog it opens returns focus there when it closes.
 * Drawn on the page's body: a table's scroll box would clip it.
 */
export function ActionMenu({ label, items }: Props) {
  const [open, setOpen] = useState<false | "first" | "last">(false);
  const [place, setPlace] = useState<{ top: number; right: number } | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const menuId = useId();

  // Read from the DOM through refs, so the same functions serve every render.
  const entries = useCallback(() => [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])], []);
  const focusAt = useCallback(
    (index: number) => {
      const all = entries();
      all[(index + all.length) % all.length]?.focus({ preventScroll: true });
    },
    [entries],
  );
  const close = useCallback((refocus: boolean) => {
    setOpen(false);
    setPlace(null);
    if (refocus) button.current?.focus();
  }, []);

  // Below the button, right-aligned with it; above it when the viewport has no room below.
  const position = useCallback(() => {
    const anchor = button.current?.getBoundingClientRect();
    if (!anchor) return;
    const height = menu.current?.offsetHeight ?? 0;
    const below = anchor.bottom + 4;
    const top = below + height > window.innerHeight && anchor.top - height - 4 > 0 ? anchor.top - height - 4 : below;
    setPlace({ top, right: Math.max(8, window.innerWidth - anchor.right) });
  }, []);

  useLayoutEffect(() => {
    if (!open) return;
    position();
    focusAt(open === "first" ? 0 : -1);
  }, [open, position, focusAt]);

  useEffect(() => {
    if (!open) return;
    const outside = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menu.current?.contains(target) && !button.current?.contains(target)) close(false);
    };
    document.addEventListener("pointerdown", outside);
    window.addEventListener("scroll", position, true);
    window.addEventListener("resize", position);
    return () => {
      document.removeEventListener("pointerdown", outside);
      window.removeEventListener("scroll", position, true);
      window.removeEventListener("resize", position);
    };
  }, [open, close, position]);

  const onButtonKey = (event: KeyboardEvent) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      setOpen(event.key === "ArrowDown" ? "first" : "last");
    }
  };

  const onMenuKey = (event: KeyboardEvent) => {
    const all = entries();
    const current = all.indexOf(document.activeElement as HTMLElement);
    const moves: Record<string, () => void> = {
      ArrowDown: () => focusAt(current + 1),
      ArrowUp: () => focusAt(current - 1),
      Home: () => focusAt(0),
      End: () => focusAt(-1),
      Escape: () => close(true),
      Tab: () => close(true),
    };
    if (moves[event.key]) {
      event.preventDefault();
      moves[event.key]();
      return;
    }
    if (event.key.length === 1 && /\S/.test(event.key)) {
      const letter = event.key.toLowerCase();
      const order = [...all.slice(current + 1), ...all.slice(0, current + 1)];
      order.find((item) => item.textContent?.trim().toLowerCase().startsWith(letter))?.focus({ preventScroll: true });
    }
  };

  if (items.length === 0) return null;
  return (
    <>
      <button
        ref={button}
        type="button"
        aria-label={label}
        title={label}
        aria-haspopup="menu"
        aria-expanded={Boolean(open)}
        aria-controls={open ? menuId : undefined}
        onClick={() => (open ? close(false) : setOpen("first"))}
        onKeyDown={onButtonKey}
        className="inline-flex size-8 items-center justify-center rounded-md text-lg leading-none text-zinc-600 hover:bg-zinc-100 aria-expanded:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:aria-expanded:bg-zinc-800"
      >
        <span aria-hidden>…</span>
      </button>
      {open && typeof document !== "undefined"
        ? createPortal(
            <div
              ref={menu}
              id={menuId}
              role="menu"
              aria-label={label}
              // Focusable by script only, as the ARIA menu pattern has it; Tab stays off it (focus is on its items).
              tabIndex={-1}
              onKeyDown={onMenuKey}
              // Unplaced for one frame (measured first), but focusable: not visibility:hidden.
              style={place ? { top: place.top, right: place.right } : { top: 0, right: 0, opacity: 0 }}
              className="fixed z-50 min-w-44 rounded-lg border border-zinc-200 bg-white py-1 text-left text-sm text-zinc-900 shadow-lg dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
            >
              {items.map((item) => (
                <button
                  key={item.label}
                  type="button"
                  role="menuitem"
                  tabIndex={-1}
                  onClick={() => {
                    close(true);
                    item.onSelect();
                  }}
                  className={`block w-full whitespace-nowrap px-3 py-1.5 text-left outline-none hover:bg-zinc-100 focus:bg-zinc-100 dark:hover:bg-zinc-800 dark:focus:bg-zinc-800 ${
                    item.tone === "danger" ? "text-red-700 dark:text-red-400" : ""
                  }`}
                >
                  {item.label}
                </button>
              ))}
            </div>,
            document.body,
          )
        : null}
    </>
  );
}
