import { describe, expect, it } from "vitest";
import { ALL_KINDS, FALSE_POSITIVES, TRUE_POSITIVES } from "./redaction-fixtures";
import { luhnValid, redactPii, toPiiKinds } from "./redact-pii";

describe("PII redaction: the corpus", () => {
  it.each(TRUE_POSITIVES)("redacts: $name", ({ text, expected }) => {
    expect(redactPii(text, ALL_KINDS).text).toBe(expected);
  });

  it.each(FALSE_POSITIVES)("leaves alone: $name", ({ text }) => {
    const result = redactPii(text, ALL_KINDS);
    expect(result.text).toBe(text);
    expect(result.redacted).toEqual({ email: 0, ssn: 0, phone: 0, card: 0 });
  });
});

describe("PII redaction: kinds and counts", () => {
  const text = "a@example.com b@example.com 123-45-6789 (555) 123-4567 4111111111111111";

  it("counts each kind it replaced", () => {
    expect(redactPii(text, ALL_KINDS).redacted).toEqual({ email: 2, ssn: 1, phone: 1, card: 1 });
  });

  it("redacts only the kinds asked for", () => {
    expect(redactPii(text, ["card"]).text).toBe("a@example.com b@example.com 123-45-6789 (555) 123-4567 [REDACTED:card]");
    expect(redactPii(text, ["email", "ssn"]).text).toBe("[REDACTED:email] [REDACTED:email] [REDACTED:ssn] (555) 123-4567 4111111111111111");
  });

  it("no kinds: the text unchanged", () => {
    expect(redactPii(text, [])).toEqual({ text, redacted: { email: 0, ssn: 0, phone: 0, card: 0 } });
  });

  it("a number that is not a card is still read as a phone when phones are on", () => {
    expect(redactPii("555-123-4567 8901", ALL_KINDS).text).toBe("[REDACTED:phone] 8901");
  });

  it("an e-mail whose local part is a phone number is one e-mail", () => {
    expect(redactPii("5551234567@txt.example.net", ALL_KINDS).text).toBe("[REDACTED:email]");
  });

  it("toPiiKinds keeps known kinds, once, in order", () => {
    expect(toPiiKinds(["card", "bogus", "email", "card"])).toEqual(["email", "card"]);
    expect(toPiiKinds(null)).toEqual([]);
  });

  it("Luhn", () => {
    expect(luhnValid("4111111111111111")).toBe(true);
    expect(luhnValid("4111111111111112")).toBe(false);
    expect(luhnValid("378282246310005")).toBe(true);
  });
});

describe("PII redaction: Unicode and size", () => {
  it("never splits a surrogate pair and leaves the text around matches byte-identical", () => {
    const around = "👍🏽𝒳中😀";
    const result = redactPii(`${around}jane@example.com${around}4111111111111111${around}`, ALL_KINDS).text;
    expect(result).toBe(`${around}[REDACTED:email]${around}[REDACTED:card]${around}`);
    expect(result.isWellFormed()).toBe(true);
  });

  it("a huge text of a megabyte and more is redacted throughout", () => {
    const line = "note from jane@example.com about card 4111 1111 1111 1111, call +44 20 7946 0958. 中文😀\n";
    const text = line.repeat(Math.ceil(1_100_000 / line.length));
    const result = redactPii(text, ALL_KINDS);
    const lines = Math.ceil(1_100_000 / line.length);
    expect(result.redacted).toEqual({ email: lines, ssn: 0, phone: lines, card: lines });
    expect(result.text).not.toMatch(/@|4111|7946/);
  });

  // Each string would take minutes with a backtracking pattern (a run scanned
  // again from each of its characters); the assertion is on the result, and the
  // test's own timeout catches a quadratic scan.
  const MB = 1 << 20;
  // [name, text, what the result must be]
  const adversarial: [string, string, (out: string) => boolean][] = [
    ["letters without an @", "a".repeat(MB), (out) => out === "a".repeat(MB)],
    ["@ after a megabyte of local-part characters", `${"a.".repeat(MB / 2)}@`, (out) => out.length === MB + 1],
    ["alternating a@", "a@".repeat(MB / 2), (out) => out === "a@".repeat(MB / 2)],
    ["%40 repeated", "%40".repeat(MB / 4), (out) => out === "%40".repeat(MB / 4)],
    ["a domain without a top-level domain", `x@${"a.1".repeat(MB / 4)}`, (out) => out.startsWith("x@a.1a.1")],
    // Thirteen 2s pass the Luhn check: a spaced run of them is cards, one after another.
    ["digits with spaces", "2 ".repeat(MB / 2), (out) => out.startsWith("[REDACTED:card] 2 2 [REDACTED:card]") && !/(2 ){19}/.test(out)],
    ["digits with hyphens", "1-".repeat(MB / 2), (out) => out === "1-".repeat(MB / 2)],
    ["plus signs and digits", "+1".repeat(MB / 2), (out) => out === "+1".repeat(MB / 2)],
    ["one long run of digits", "4".repeat(MB), (out) => out === "4".repeat(MB)],
    ["phone-like prefixes", "(555) ".repeat(MB / 8), (out) => out === "(555) ".repeat(MB / 8)],
  ];
  it.each(adversarial)("adversarial input (%s) is redacted in linear time", (_name, text, expected) => {
    expect(expected(redactPii(text, ALL_KINDS).text)).toBe(true);
  });
});
