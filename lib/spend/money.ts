// Money is integer micro-dollars inside (1 USD = 1,000,000) and a decimal string
// in the API ("12.50"): no float ever touches a balance.

export const MICROS_PER_DOLLAR = 1_000_000n;
export const MONEY_PATTERN = /^\d{1,9}(\.\d{1,6})?$/;

/** "12.50" → 12500000n; the string must match MONEY_PATTERN (the schemas check it). */
export function parseMoney(text: string): bigint {
  const [whole, fraction = ""] = text.split(".");
  return BigInt(whole) * MICROS_PER_DOLLAR + BigInt(fraction.padEnd(6, "0"));
}

/** 12500000n → "12.50", 1234n → "0.001234": at least cents, never trailing zeros beyond them. */
export function formatMoney(micros: bigint): string {
  const sign = micros < 0n ? "-" : "";
  const abs = micros < 0n ? -micros : micros;
  const fraction = (abs % MICROS_PER_DOLLAR).toString().padStart(6, "0").replace(/0+$/, "").padEnd(2, "0");
  return `${sign}${abs / MICROS_PER_DOLLAR}.${fraction}`;
}

/** Ceiling division of non-negative integers: a cost is rounded up, never down to a free call. */
export const divCeil = (a: bigint, b: bigint): bigint => (a + b - 1n) / b;

/** Worst-case cost in micros of tokens priced per million tokens, rounded up. */
export const tokenCost = (input: bigint, inputPerMtok: bigint, output: bigint, outputPerMtok: bigint): bigint =>
  divCeil(input * inputPerMtok + output * outputPerMtok, 1_000_000n);
