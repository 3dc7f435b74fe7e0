import type { PiiKind } from "./redact-pii";

/** One line of the corpus: the text, and what all four kinds turn it into. */
export type RedactionFixture = { name: string; text: string; expected: string };

const E = "[REDACTED:email]";
const S = "[REDACTED:ssn]";
const P = "[REDACTED:phone]";
const C = "[REDACTED:card]";

// True positives: each must be replaced, and only it.
export const TRUE_POSITIVES: RedactionFixture[] = [
  { name: "plain e-mail", text: "write to jane.doe@example.com today", expected: `write to ${E} today` },
  { name: "e-mail with a tag and subdomain", text: "ops+alerts@mail.example.co.uk.", expected: `${E}.` },
  { name: "mailto link", text: '<a href="mailto:jane@example.com?subject=Hi">', expected: `<a href="mailto:${E}?subject=Hi">` },
  { name: "e-mail in a query string, encoded", text: "https://app.test/invite?email=jane.doe%40example.org&ref=1", expected: `https://app.test/invite?email=${E}&ref=1` },
  { name: "e-mail in a query string, raw", text: "https://app.test/u?e=bob@example.net#top", expected: `https://app.test/u?e=${E}#top` },
  { name: "IDN e-mail", text: "josé@exämple.com and 用户@例子.中国", expected: `${E} and ${E}` },
  { name: "SSN", text: "SSN: 123-45-6789.", expected: `SSN: ${S}.` },
  { name: "SSN at the edges of the text", text: "078-05-1120", expected: S },
  { name: "Visa, spaced", text: "card 4111 1111 1111 1111 exp 12/29", expected: `card ${C} exp 12/29` },
  { name: "Mastercard, hyphenated", text: "5500-0000-0000-0004", expected: C },
  { name: "Amex, 15 digits, Amex grouping", text: "amex 3782 822463 10005", expected: `amex ${C}` },
  { name: "Visa, unseparated", text: "pan=4012888888881881;", expected: `pan=${C};` },
  { name: "Discover, then a group that would break the Luhn check", text: "6011 0009 9013 9424 000", expected: `${C} 000` },
  { name: "a card followed by a stray number", text: "4111 1111 1111 1111 2 items", expected: `${C} 2 items` },
  { name: "US phone, parentheses", text: "call (555) 123-4567 now", expected: `call ${P} now` },
  { name: "US phone, hyphens", text: "555-123-4567", expected: P },
  { name: "US phone, dots", text: "tel 555.123.4567,", expected: `tel ${P},` },
  { name: "US phone, +1 and spaces", text: "+1 555 123 4567", expected: P },
  { name: "US phone, leading 1", text: "1-800-555-0199", expected: P },
  { name: "E.164", text: "sms +14155552671 ok", expected: `sms ${P} ok` },
  { name: "UK number", text: "London +44 20 7946 0958.", expected: `London ${P}.` },
  { name: "Japanese number", text: "Tokyo +81 3-1234-5678", expected: `Tokyo ${P}` },
  { name: "French number", text: "+33 1 42 68 53 00", expected: P },
  { name: "emoji, CJK and RTL around matches", text: "😀jane@example.com😀 电话 555-123-4567 עברית 123-45-6789 🇫🇷", expected: `😀${E}😀 电话 ${P} עברית ${S} 🇫🇷` },
  { name: "every kind in one sentence", text: "Jane (jane@example.com, 123-45-6789, +44 20 7946 0958) paid with 4111-1111-1111-1111.", expected: `Jane (${E}, ${S}, ${P}) paid with ${C}.` },
];

// False positives: each must come back unchanged.
export const FALSE_POSITIVES: { name: string; text: string }[] = [
  { name: "ISO date", text: "released 2023-01-15" },
  { name: "US date with hyphens", text: "due 12-31-2023" },
  { name: "Luhn-invalid card", text: "4111 1111 1111 1112" },
  { name: "Luhn-invalid unseparated card", text: "4111111111111112" },
  { name: "millisecond timestamp (Luhn-valid, starts with 1)", text: "ts=1700000000007" },
  { name: "order number", text: "order ORD-2023-000123 and #4412" },
  { name: "long numeric id", text: "id 41111111111111110000042" },
  { name: "version string", text: "v1.2.3.4 and 10.20.30.40" },
  { name: "IPv4", text: "from 192.168.100.200 and 8.8.8.8" },
  { name: "IPv6", text: "addr 2001:db8::1" },
  { name: "SSN with area 000", text: "000-12-3456" },
  { name: "SSN with area 666", text: "666-12-3456" },
  { name: "SSN with area 9xx", text: "912-34-5678" },
  { name: "SSN with group 00", text: "123-00-4567" },
  { name: "SSN with serial 0000", text: "123-45-0000" },
  { name: "unhyphenated 9 digits", text: "ticket 123456789" },
  { name: "SSN-like inside a longer code", text: "part 1-123-45-6789-2" },
  { name: "npm package version", text: "react@18.2.0 and @types/node@20.1.0" },
  { name: "host without a top-level domain", text: "root@localhost" },
  { name: "handle", text: "thanks @jane and @team" },
  { name: "US number with area code starting 1", text: "123-456-7890" },
  { name: "short international number", text: "+44 123" },
  { name: "money", text: "$1,234,567.89" },
  { name: "empty", text: "" },
  { name: "only Unicode", text: "中文テキスト עברית العربية 😀👍🏽" },
];

export const ALL_KINDS: PiiKind[] = ["email", "ssn", "phone", "card"];
