"use client";

import { wallClockIn } from "@/lib/time/wall-clock";
import { LocalTime } from "@/components/ui/local-time";
import { useDisplayZone } from "./display-zone";

/** An event's time on the log's clock: the workspace's zone (the same on the server and in every browser), or the viewer's own. */
export function EventTime({ iso }: { iso: string }) {
  const { zone } = useDisplayZone();
  if (!zone) return <LocalTime iso={iso} />;
  return <time dateTime={iso}>{wallClockIn(iso, zone).replace("T", " ")}</time>;
}
