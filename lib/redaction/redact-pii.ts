// Pure text redaction (no server-only: the bench and unit tests run it as is).
//
// Every pattern below is linear: no quantified group contains another
// quantifier that could match the same characters, and each pattern's start is
// pinned by a lookbehind to the first character of a run (so a long run of
// letters or digits is scanned from one start, not from each of its characters).
// Matches are ASCII spans; replacing them never splits a surrogate pair, and the
// text around them is returned unchanged.

import { PII_KINDS, type PiiKind } from "./pii-kinds";

export { PII_KINDS, type PiiKind };

export type RedactionCounts = Record<PiiKind, number>;
export type RedactionResult = { text: string; redacted: RedactionCounts };

export const redactionToken = (kind: PiiKind) => `[REDACTED:${kind}]`;

export function isPiiKind(value: unknown): value is PiiKind {
  return typeof value === "string" && (PII_KINDS as readonly string[]).includes(value);
}

/** Known kinds only, each once, in the canonical order (what a database array may hold is not trusted). */
export function toPiiKinds(values: readonly unknown[] | null | undefined): PiiKind[] {
  const set = new Set(values ?? []);
  return PII_KINDS.filter((kind) => set.has(kind));
}

// E-mail: found from its "@" (or its URL encoding %40, a query string's e-mail)
// outwards, in code (findEmails below): a regex that starts at every word to look
// for an "@" later is slow on prose, and this visits each character at most twice.

// US SSN, hyphenated only: area 001-665, 667-899 (000, 666 and 9xx are never
// issued), group 01-99, serial 0001-9999. Not part of a longer run of digits or
// hyphens, so dates (2023-01-15, 12-31-2023) and part numbers are left alone.
// Each pattern starts with the character it consumes first (the lookbehind after
// it), so the engine skips ahead to candidates instead of trying every position.
const SSN = /\d(?<![\d-]\d)\d\d-\d\d-\d{4}(?![\d-]|\.\d)/g;
const validSsn = (m: string) => !/^(000|666|9)/.test(m) && m.slice(4, 6) !== "00" && m.slice(7) !== "0000";

// Payment cards: 13 to 19 digits, single spaces or hyphens allowed between them,
// starting with 2-6 (the card networks' ranges; a millisecond timestamp or an
// order number starting with 1, 7, 8, 9 or 0 is not a card). The Luhn check and
// the digit count are decided in code.
const CARD = /[2-6](?<![\d-][2-6])(?:[ -]?\d){12,18}(?!\d)/g;

// Phones: "+" and 8 to 15 digits, optionally grouped by spaces, dots, hyphens or
// one pair of parentheses (E.164 as written: +44 20 7946 0958, +81 3-1234-5678),
// digits counted in code; or a US number: (555) 123-4567, 555-123-4567,
// 555.123.4567, with an optional leading 1 (the area code never starts with 0 or 1).
const PHONE_INTL = /\+(?<![\w+]\+)[1-9][\d .()-]{6,22}\d(?!\d)/g;
const PHONE_US =
  /(?:\((?<![\w.+-]\()[2-9]\d\d\) ?\d{3}[-. ]|[2-9](?<![\w.+-][2-9])\d\d(?:-\d{3}-|\.\d{3}\.)|1(?<![\w.+-]1)[ .-]?(?:\([2-9]\d\d\) ?\d{3}[-. ]|[2-9]\d\d-\d{3}-|[2-9]\d\d\.\d{3}\.))\d{4}(?![\w-]|\.\d)/g;

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

function countDigits(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

/**
 * The card within a candidate run: the whole run when it passes Luhn, else the
 * longest run of whole groups that does ("4111 1111 1111 1111 2 items" hides the
 * card, not the "2"). At most 19 groups, each span's Luhn sum from prefix sums:
 * a constant amount of work per candidate.
 */
function redactCard(match: string): string | null {
  let count = 0;
  let sum = 0;
  for (let i = match.length - 1; i >= 0; i--) {
    let d = match.charCodeAt(i) - 48;
    if (d < 0 || d > 9) continue;
    if (count % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
    count++;
  }
  if (count <= 19 && sum % 10 === 0) return redactionToken("card");
  if (!/[ -]/.test(match)) return null;
  return redactCardGroups(match);
}

// Scratch space for redactCardGroups (at most 19 digits and groups; JavaScript runs one call at a time).
const DIGITS = new Int8Array(19);
const GROUP_FROM = new Int8Array(20);
const GROUP_TO = new Int8Array(20);
const GROUP_START = new Int32Array(20);
const GROUP_END = new Int32Array(20);
// PLAIN[p * 20 + k] / DOUBLED[p * 20 + k]: the sum over digits t < k with t % 2 === p, as is / Luhn-doubled.
const PLAIN = new Int32Array(40);
const DOUBLED = new Int32Array(40);

function redactCardGroups(match: string): string | null {
  let n = 0;
  let groups = 0;
  for (let i = 0; i < match.length && n < 19; i++) {
    const c = match.charCodeAt(i);
    if (c < 48 || c > 57) continue;
    if (groups > 0 && GROUP_END[groups - 1] === i) {
      GROUP_END[groups - 1] = i + 1;
      GROUP_TO[groups - 1]++;
    } else {
      GROUP_START[groups] = i;
      GROUP_END[groups] = i + 1;
      GROUP_FROM[groups] = n;
      GROUP_TO[groups] = n + 1;
      groups++;
    }
    DIGITS[n++] = c - 48;
  }
  PLAIN[0] = PLAIN[20] = DOUBLED[0] = DOUBLED[20] = 0;
  for (let t = 0; t < n; t++) {
    const d = DIGITS[t];
    const twice = d * 2 > 9 ? d * 2 - 9 : d * 2;
    for (let p = 0; p < 2; p++) {
      PLAIN[p * 20 + t + 1] = PLAIN[p * 20 + t] + (t % 2 === p ? d : 0);
      DOUBLED[p * 20 + t + 1] = DOUBLED[p * 20 + t] + (t % 2 === p ? twice : 0);
    }
  }
  let best = -1;
  let bestFrom = 0;
  let bestTo = 0;
  for (let i = 0; i < groups; i++) {
    for (let j = groups - 1; j >= i; j--) {
      const a = GROUP_FROM[i];
      const b = GROUP_TO[j];
      const length = b - a;
      if (length < 13 || length > 19 || DIGITS[a] < 2 || DIGITS[a] > 6) continue;
      // The rightmost digit (b - 1) is not doubled, nor is every second one left of it.
      const q = (b - 1) % 2;
      const sum = PLAIN[q * 20 + b] - PLAIN[q * 20 + a] + DOUBLED[(1 - q) * 20 + b] - DOUBLED[(1 - q) * 20 + a];
      if (sum % 10 !== 0) continue;
      if (length > best) {
        best = length;
        bestFrom = GROUP_START[i];
        bestTo = GROUP_END[j];
      }
      break;
    }
  }
  if (best === -1) return null;
  return match.slice(0, bestFrom) + redactionToken("card") + match.slice(bestTo);
}

const LETTER_OR_NUMBER = /^[\p{L}\p{N}]$/u;
const LETTER = /^\p{L}$/u;
const SEPARATOR = /@|%40/g;

// ASCII classes by code: 1 letter, 2 digit, 4 one of ._%+- (local part), 8 one of .- (domain).
const ASCII = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  ASCII[c] = (/[A-Za-z]/.test(ch) ? 1 : 0) | (/\d/.test(ch) ? 2 : 0) | (/[._%+-]/.test(ch) ? 4 : 0) | (/[.-]/.test(ch) ? 8 : 0);
}

/** The code point ending just before `end` (a surrogate pair read whole) and its length in UTF-16 units. */
function codePointBefore(text: string, end: number): [number, number] {
  const low = text.charCodeAt(end - 1);
  if (low >= 0xdc00 && low <= 0xdfff && end >= 2) {
    const high = text.charCodeAt(end - 2);
    if (high >= 0xd800 && high <= 0xdbff) return [text.codePointAt(end - 2)!, 2];
  }
  return [low, 1];
}

function codePointAt(text: string, start: number): [number, number] {
  const cp = text.codePointAt(start)!;
  return [cp, cp > 0xffff ? 2 : 1];
}

const isLocal = (cp: number) => (cp < 128 ? (ASCII[cp] & 7) !== 0 : LETTER_OR_NUMBER.test(String.fromCodePoint(cp)));
const isDomain = (cp: number) => (cp < 128 ? (ASCII[cp] & 11) !== 0 : LETTER_OR_NUMBER.test(String.fromCodePoint(cp)));
const isDomainWord = (cp: number) => cp !== 46 && isDomain(cp);
const isLetter = (cp: number) => (cp < 128 ? ASCII[cp] === 1 : LETTER.test(String.fromCodePoint(cp)));

/**
 * Each address as [start, end): a non-empty local part of letters, digits and
 * ._%+- ; "@" or %40; a domain of letters, digits, dots and hyphens that starts
 * with a letter or digit and ends with a dot and a top-level label of 2 to 63
 * letters, not followed by another letter, digit or hyphen (so react@18.2.0 and
 * user@localhost are not addresses). Letters beyond ASCII count (IDN mail).
 */
function findEmails(text: string): [number, number][] {
  const found: [number, number][] = [];
  let limit = 0; // Nothing before this is looked at again: the previous separator or address.
  SEPARATOR.lastIndex = 0;
  for (let m = SEPARATOR.exec(text); m !== null; m = SEPARATOR.exec(text)) {
    const at = m.index;
    const after = at + m[0].length;
    let start = at;
    while (start > limit) {
      const c = text.charCodeAt(start - 1);
      if (c < 128) {
        // ASCII, most of the time: no code point to assemble.
        if ((ASCII[c] & 7) === 0) break;
        start--;
        continue;
      }
      const [ch, size] = codePointBefore(text, start);
      if (!isLocal(ch)) break;
      start -= size;
    }
    limit = after;
    if (start === at || after >= text.length) continue;
    let end = after;
    while (end < text.length) {
      const c = text.charCodeAt(end);
      if (c < 128) {
        if ((ASCII[c] & 11) === 0) break;
        end++;
        continue;
      }
      const [ch, size] = codePointAt(text, end);
      if (!isDomain(ch)) break;
      end += size;
    }
    if (!isDomainWord(codePointAt(text, after)[0])) continue;
    const close = domainEnd(text, after, end);
    if (close === -1) continue;
    found.push([start, close]);
    limit = close;
    SEPARATOR.lastIndex = close;
  }
  return found;
}

/** Where the domain in [from, runEnd) ends: the last place after ".<2-63 letters>" not followed by a letter, digit or hyphen; -1 if none. */
function domainEnd(text: string, from: number, runEnd: number): number {
  let end = runEnd;
  while (end > from) {
    // A candidate end: the run's end or a dot (a dot may follow an address, as in a sentence).
    let letters = 0;
    let i = end;
    while (i > from) {
      const [ch, size] = codePointBefore(text, i);
      if (!isLetter(ch)) break;
      letters++;
      i -= size;
    }
    if (letters >= 2 && letters <= 63 && i > from + 1 && text[i - 1] === ".") return end;
    // The next candidate: the dot before this one.
    let dot = end - 1;
    while (dot > from && text.charCodeAt(dot) !== 46) dot--;
    if (dot <= from) return -1;
    end = dot;
  }
  return -1;
}

function emptyCounts(): RedactionCounts {
  return { email: 0, ssn: 0, phone: 0, card: 0 };
}

/**
 * Replaces each e-mail address, SSN, phone number and Luhn-valid card number of
 * the kinds given with [REDACTED:<kind>], and counts them. Kinds run in a fixed
 * order (e-mail first: an address may hold digits; cards before phones: a card's
 * groups are never read as a phone).
 */
export function redactPii(text: string, kinds: readonly PiiKind[]): RedactionResult {
  const redacted = emptyCounts();
  if (kinds.length === 0 || text.length === 0) return { text, redacted };
  const spans: Span[] = [];
  const numeric = numericPattern(kinds);
  let at = 0;
  if (kinds.includes("email")) {
    const emailToken = redactionToken("email");
    for (const [start, end] of findEmails(text)) {
      if (numeric && start > at) collectNumeric(text.slice(at, start), at, numeric, kinds, redacted, spans);
      spans.push({ start, end, replacement: emailToken });
      redacted.email++;
      at = end;
    }
  }
  if (numeric) collectNumeric(at === 0 ? text : text.slice(at), at, numeric, kinds, redacted, spans);
  return { text: spans.length ? spliceSpans(text, spans) : text, redacted };
}

type Span = { start: number; end: number; replacement: string };

/** The text with each span replaced (spans are found in order and never overlap). */
function spliceSpans(text: string, spans: Span[]): string {
  const parts: string[] = [];
  let at = 0;
  for (const span of spans) {
    parts.push(text.slice(at, span.start), span.replacement);
    at = span.end;
  }
  parts.push(text.slice(at));
  return parts.join("");
}

function collectNumeric(gap: string, offset: number, { pattern, names }: NumericPattern, kinds: readonly PiiKind[], counts: RedactionCounts, spans: Span[]) {
  pattern.lastIndex = 0;
  for (let m = pattern.exec(gap); m !== null; m = pattern.exec(gap)) {
    let which = 0;
    while (m[which + 1] === undefined) which++;
    const replacement = redactNumeric(m[0], names[which], kinds, counts);
    if (replacement !== m[0]) spans.push({ start: offset + m.index, end: offset + m.index + m[0].length, replacement });
  }
}

const NUMERIC_KINDS: { kind: PiiKind; name: string; source: string }[] = [
  { kind: "card", name: "card", source: CARD.source },
  { kind: "ssn", name: "ssn", source: SSN.source },
  { kind: "phone", name: "intl", source: PHONE_INTL.source },
  { kind: "phone", name: "us", source: PHONE_US.source },
];
type NumericPattern = { pattern: RegExp; names: string[] };
const numericPatterns = new Map<string, NumericPattern | null>();

/**
 * Cards, SSNs and phones in one pass (one alternation per enabled kind, cards
 * first): each pass over a megabyte costs as much as the matching, so one pass
 * instead of four.
 */
function numericPattern(kinds: readonly PiiKind[]): NumericPattern | null {
  const key = kinds.join(",");
  if (!numericPatterns.has(key)) {
    const parts = NUMERIC_KINDS.filter((p) => kinds.includes(p.kind));
    numericPatterns.set(key, parts.length ? { pattern: new RegExp(parts.map((p) => `(${p.source})`).join("|"), "g"), names: parts.map((p) => p.name) } : null);
  }
  return numericPatterns.get(key) ?? null;
}

function redactNumeric(match: string, name: string, kinds: readonly PiiKind[], counts: RedactionCounts): string {
  if (name === "card") {
    const replaced = redactCard(match);
    if (replaced !== null) {
      counts.card++;
      return replaced;
    }
    // Not a card: the same digits may still hold an SSN or a phone ("555-123-4567 8901").
    const rest = kinds.filter((k) => k !== "card" && k !== "email");
    if (rest.length === 0) return match;
    const inner = redactPii(match, rest);
    counts.ssn += inner.redacted.ssn;
    counts.phone += inner.redacted.phone;
    return inner.text;
  }
  if (name === "ssn") {
    if (!validSsn(match)) return match;
    counts.ssn++;
    return redactionToken("ssn");
  }
  if (name === "intl") {
    const n = countDigits(match);
    if (n < 8 || n > 15 || /[ .()-]{2}/.test(match.replace(/\) /g, ")"))) return match;
  }
  counts.phone++;
  return redactionToken("phone");
}

/** A string redacted under the kinds given (the counts dropped): for fields stored or logged. */
export function redactText(text: string, kinds: readonly PiiKind[]): string {
  return kinds.length === 0 ? text : redactPii(text, kinds).text;
}
