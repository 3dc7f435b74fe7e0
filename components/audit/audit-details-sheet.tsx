"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { keepFocusInside } from "@/components/ui/keep-focus-inside";

const PHONE = "(max-width: 767px)";

/**
 * Where the event's details sit: beside the table on a wide screen (sticky, its
 * own scroll), below it on a narrower one, never over the table's columns. On a
 * phone there is no room beside or below in view, so it is a full-screen sheet:
 * a modal with focus kept inside, and Close or Escape return to the table. Escape
 * closes it on any screen, unless another dialog (the menu, a step-up prompt) has it.
 */
export function AuditDetailsSheet({ eventId, closeHref, children }: { eventId: string; closeHref: string; children: React.ReactNode }) {
  const router = useRouter();
  const sheet = useRef<HTMLDivElement>(null);
  const [phone, setPhone] = useState(false);

  useEffect(() => {
    const query = window.matchMedia(PHONE);
    const update = () => setPhone(query.matches);
    update();
    query.addEventListener("change", update);
    return () => query.removeEventListener("change", update);
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape" || event.defaultPrevented) return;
      if ((event.target as Element | null)?.closest?.("dialog[open]")) return;
      event.preventDefault();
      router.push(closeHref, { scroll: false });
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [closeHref, router]);

  useEffect(() => {
    const element = sheet.current;
    if (!element) return;
    if (phone) {
      element.focus();
      // The page behind the sheet does not scroll under it.
      const overflow = document.body.style.overflow;
      document.body.style.overflow = "hidden";
      return () => void (document.body.style.overflow = overflow);
    }
    // Below the table (a medium screen), the opened details come into view.
    if (element.getBoundingClientRect().top > window.innerHeight) element.scrollIntoView({ block: "start", behavior: "smooth" });
  }, [phone, eventId]);

  const cycleFocus = (event: React.KeyboardEvent<HTMLDivElement>) => {
    if (phone) keepFocusInside(event);
  };

  return (
    <div
      ref={sheet}
      tabIndex={-1}
      role={phone ? "dialog" : undefined}
      aria-modal={phone ? true : undefined}
      aria-labelledby={phone ? "event-details-heading" : undefined}
      onKeyDown={cycleFocus}
      data-testid="event-details-sheet"
      className="fixed inset-0 z-40 overflow-y-auto bg-zinc-50 p-3 outline-none md:static md:z-auto md:overflow-visible md:bg-transparent md:p-0 xl:sticky xl:top-4 xl:max-h-[calc(100dvh-2rem)] xl:self-start xl:overflow-y-auto dark:bg-zinc-950 md:dark:bg-transparent"
    >
      {children}
    </div>
  );
}
