import { z } from "zod";

// The one set of rules every input schema builds on, so that what passes zod is
// something PostgreSQL stores or compares without refusing it. Before these,
// `target_id=%00` failed in PostgreSQL (22021: NUL in text) and `from=0000-01-01…`
// too (22008: there is no year 0), both as 500s.

/** No field anywhere is longer than this, whatever its own schema says. */
export const FIELD_MAX = 10_000;

// C0 controls (NUL included), DEL and C1 controls; Unicode line and paragraph
// separators and the bidirectional overrides, which make a name or an id read
// differently from what is stored. Tab, LF and CR are the only exceptions, and
// only in text that is meant to span lines.
const CONTROL = "\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\u2028\\u2029\\u202A-\\u202E\\u2066-\\u2069";
const MULTI_LINE = new RegExp(`^[^${CONTROL}]*$`);
const SINGLE_LINE = new RegExp(`^[^\\t\\n\\r${CONTROL}]*$`);

export const CONTROL_MESSAGE = "Remove control characters (such as NUL) from this field";

/** True when any text a person may send (a form field, a query parameter) holds a character no field accepts. */
export const hasControlCharacters = (value: string): boolean => !MULTI_LINE.test(value);

/**
 * Text for names, searches and ids that are not UUIDs: one line, no control
 * characters, at most `max` characters after trimming.
 */
export function safeText(options: { max: number; message?: string; multiLine?: boolean; trim?: boolean }) {
  const base = options.message ? z.string(options.message) : z.string();
  const trimmed = options.trim === false ? base : base.trim();
  return trimmed
    .max(options.max, `Use at most ${options.max} characters`)
    .regex(options.multiLine ? MULTI_LINE : SINGLE_LINE, options.multiLine ? CONTROL_MESSAGE : "Use one line without control characters");
}

// PostgreSQL's timestamptz reaches back to 4713 BC, JavaScript's Date to year
// 275760, but neither extreme is a time anything in Warden happened or will: the
// sane window is the Unix epoch up to the last instant of year 9999 (the last
// year ISO 8601's four digits can write).
export const EARLIEST = Date.UTC(1970, 0, 1);
export const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
export const DATE_RANGE_MESSAGE = "Use a date between 1970 and 9999";

const inSaneRange = (value: string) => {
  const time = Date.parse(value);
  return Number.isFinite(time) && time >= EARLIEST && time <= LATEST;
};

// Zod runs a refinement even after the format check failed; a value that is not a
// date at all gets only the format's message, not a second one about its range.
const DAY = /^\d{4}-\d{2}-\d{2}/;

/** An ISO 8601 date-time with an offset (Z or ±hh:mm), between 1970 and 9999. */
export const safeDateTime = (message: string) => z.iso.datetime({ offset: true, message }).refine((value) => !DAY.test(value) || inSaneRange(value), DATE_RANGE_MESSAGE);

/** An ISO 8601 calendar day (yyyy-mm-dd), between 1970 and 9999. */
export const safeDate = (message: string) => z.iso.date(message).refine((value) => !DAY.test(value) || inSaneRange(`${value}T00:00:00Z`), DATE_RANGE_MESSAGE);

/** Whether a stored string (an audit event's target id, say) is a UUID a query may use. */
export const isUuid = (value: string): boolean => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

/** A row id: checked as a UUID here, so a malformed one never reaches a `::uuid` cast. */
export const uuidId = (message: string) => z.uuid(message);

/** A positive bigint position (an audit seq), small enough for PostgreSQL's bigint. */
export const bigintPosition = (message: string) => z.string().regex(/^[1-9]\d{0,17}$/, message);
