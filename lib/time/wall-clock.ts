// Wall-clock times in a named IANA zone, the same in Node and in the browser (both
// carry the zone rules): "YYYY-MM-DDTHH:mm", as a datetime-local field holds them.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    formatters.set(zone, f);
  }
  return f;
}

/** The instant as the zone's wall clock, "2026-03-10T11:30". */
export function wallClockIn(iso: string, zone: string): string {
  const parts = Object.fromEntries(
    formatter(zone)
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/**
 * The instant a wall-clock time names in the zone. The zone's offset is read at a
 * first guess and again at the result, so a time next to a DST change lands right;
 * a time a DST gap skips resolves to the instant just after it.
 */
export function instantFromWallClock(value: string, zone: string): string {
  const asUtc = Date.parse(`${value}:00Z`);
  if (Number.isNaN(asUtc)) throw new RangeError(`Not a wall-clock time: ${value}`);
  const offsetAt = (instant: number) => Date.parse(`${wallClockIn(new Date(instant).toISOString(), zone)}:00Z`) - instant;
  let instant = asUtc - offsetAt(asUtc);
  instant = asUtc - offsetAt(instant);
  return new Date(instant).toISOString();
}
