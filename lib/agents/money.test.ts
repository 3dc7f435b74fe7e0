import { describe, expect, it } from "vitest";
import { formatMoney, MAX_MICROS, parseMoney } from "./money";

const micros = (text: string) => {
  const parsed = parseMoney(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.micros;
};

describe("money", () => {
  it("parses decimal dollars to micro-dollars exactly, without floats", () => {
    expect(micros("12.50")).toBe(12_500_000n);
    expect(micros("0.1")).toBe(100_000n);
    expect(micros("0.000001")).toBe(1n);
    expect(micros("3")).toBe(3_000_000n);
    expect(micros(" 7.25 ")).toBe(7_250_000n);
    expect(micros("0")).toBe(0n);
    expect(micros("1000000000")).toBe(MAX_MICROS);
    // A float would make this 9007199254.740993 → …992 or …994.
    expect(micros("9007199.254741")).toBe(9_007_199_254_741n);
  });

  it("refuses negatives, more than six decimals, absurd sizes and anything else", () => {
    for (const bad of ["-1", "-0.01", "0.0000001", "1.1234567", "1000000000.000001", "99999999999", "1e3", "12,50", "", " ", ".5", "5.", "0x10", "NaN", "Infinity", "1 000"]) {
      expect(parseMoney(bad).ok, bad).toBe(false);
    }
    expect(parseMoney("-5")).toMatchObject({ message: expect.stringMatching(/negative/) });
    expect(parseMoney("1.1234567")).toMatchObject({ message: expect.stringMatching(/6 decimal/) });
    expect(parseMoney("123456789012345")).toMatchObject({ message: expect.stringMatching(/too large/) });
  });

  it("formats micro-dollars back with at least two decimals", () => {
    expect(formatMoney(12_500_000n)).toBe("12.50");
    expect(formatMoney(0n)).toBe("0.00");
    expect(formatMoney(1n)).toBe("0.000001");
    expect(formatMoney(125n)).toBe("0.000125");
    expect(formatMoney(3_000_000n)).toBe("3.00");
    expect(formatMoney(MAX_MICROS)).toBe("1000000000.00");
    for (const text of ["12.50", "0.000001", "42.123456"]) expect(formatMoney(micros(text))).toBe(text);
  });
});
