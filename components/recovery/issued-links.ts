"use client";

import { useSyncExternalStore } from "react";
import type { EmailDelivery } from "@/lib/email/email-delivery";

export type IssuedLink = { email: string; link: string; expiresAt: string; mfa: "none" | "kept" | "cleared" | "cleared_must_enroll"; delivery: EmailDelivery };

// The members table re-creates its rows when the page revalidates after an action,
// which would drop a dialog's state with the link in it. The link is kept here, in
// this tab's memory only (never in storage), until the issuer closes the dialog.
const issued = new Map<string, IssuedLink>();
const listeners = new Set<() => void>();
const notify = () => listeners.forEach((listener) => listener());

export const rememberIssuedLink = (userId: string, link: IssuedLink) => {
  issued.set(userId, link);
  notify();
};
export const forgetIssuedLink = (userId: string) => {
  issued.delete(userId);
  notify();
};

export function useIssuedLink(userId: string): IssuedLink | null {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    () => issued.get(userId) ?? null,
    () => null,
  );
}
