// Whether a secret needs attention: its rotation interval has passed since its
// value last changed, or its expiry date has passed. Computed the same way in SQL
// for the table's filter (lib/secrets/list-secrets.ts) and here for one row.

export type RotationStatus = "ok" | "rotation_due" | "expired";

const DAY_MS = 86_400_000;

export function rotationStatus(secret: { rotationIntervalDays: number | null; valueChangedAt: Date; expiresAt: Date | null }, now = new Date()): RotationStatus {
  if (secret.expiresAt && secret.expiresAt <= now) return "expired";
  if (secret.rotationIntervalDays && secret.valueChangedAt.getTime() + secret.rotationIntervalDays * DAY_MS <= now.getTime()) return "rotation_due";
  return "ok";
}

/** An expiry day (yyyy-mm-dd) means the end of that day, UTC; the value is kept for the whole day named. */
export function expiresAtFromDay(day: string | undefined): string | null {
  return day ? new Date(`${day}T23:59:59.999Z`).toISOString() : null;
}
