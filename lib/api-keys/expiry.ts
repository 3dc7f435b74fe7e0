import { AppError } from "../errors";

// A key lives for a preset number of days, until a chosen day, or until revoked.
// Two years at most: a forgotten key should not outlive the people who made it.

export const EXPIRY_CHOICES = ["never", "30", "90", "365", "custom"] as const;
export type ExpiryChoice = (typeof EXPIRY_CHOICES)[number];

export const EXPIRY_LABELS: Record<ExpiryChoice, string> = {
  never: "Never",
  "30": "In 30 days",
  "90": "In 90 days",
  "365": "In 1 year",
  custom: "On a date…",
};

export const MAX_EXPIRY_DAYS = 730;
const DAY_MS = 24 * 3600_000;

const refuse = (message: string) => new AppError("invalid_input", "Check the highlighted fields.", { expiresOn: [message] });

/** The latest expiry a key may be given now. */
export const latestExpiry = (now: Date) => new Date(now.getTime() + MAX_EXPIRY_DAYS * DAY_MS);

export function assertExpiryInRange(expiresAt: Date | null, now: Date): void {
  if (expiresAt === null) return;
  if (Number.isNaN(expiresAt.getTime())) throw refuse("Enter a valid date");
  if (expiresAt <= now) throw refuse("Choose a date in the future");
  if (expiresAt > latestExpiry(now)) throw refuse(`Choose a date at most ${MAX_EXPIRY_DAYS / 365} years ahead`);
}

/**
 * The instant (UTC) a key expires, from the form's choice. A chosen day counts
 * whole: the key works until the end of that day, UTC.
 */
export function expiresAtFrom(input: { expiry: ExpiryChoice; expiresOn?: string }, now = new Date()): Date | null {
  if (input.expiry === "never") return null;
  if (input.expiry !== "custom") return new Date(now.getTime() + Number(input.expiry) * DAY_MS);
  if (!input.expiresOn) throw refuse("Choose the day the key expires");
  const expiresAt = new Date(`${input.expiresOn}T23:59:59.999Z`);
  assertExpiryInRange(expiresAt, now);
  return expiresAt;
}
