import { todayIn } from "../agents/time-zone";

/** The Usage page's and the overview's window: the rolling 30 days (today included). */
export const USAGE_WINDOW_DAYS = 30;
/** An agent's trend in the agents table: its last 7 days (today included). */
export const TREND_DAYS = 7;

const DAY_MS = 86_400_000;

/** A calendar day (yyyy-mm-dd) moved by whole days; calendar arithmetic, so no zone's DST can shift it. */
export const addDays = (day: string, days: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** The last `days` calendar days in a zone, today included, as inclusive bounds. */
export function lastDays(timeZone: string, days: number, now = new Date()): { from: string; to: string } {
  const to = todayIn(timeZone, now);
  return { from: addDays(to, -(days - 1)), to };
}
