"use client";

import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/**
 * False on the server and during hydration, true once mounted. Charts draw only
 * then: their inline styles, set by React through the DOM, are allowed by the
 * CSP, while the same styles as attributes in server-rendered HTML are refused.
 */
export function useMounted(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
