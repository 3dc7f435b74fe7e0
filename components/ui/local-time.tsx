"use client";

import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/** A timestamp in the viewer's own time zone; UTC until the browser takes over. */
export function LocalTime({ iso }: { iso: string }) {
  const local = useSyncExternalStore(
    subscribe,
    () => new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }),
    () => `${iso.replace("T", " ").slice(0, 16)} UTC`,
  );
  return <time dateTime={iso}>{local}</time>;
}
