// Usage reports cost as a decimal string of dollars; inside it is integer
// micro-dollars, parsed on the digits (never through a float).

const MICROS_PER_DOLLAR = 1_000_000n;

/** "0.0125" as 12500n; the schema has already held the text to at most 9 whole digits and 6 decimals. */
export function costToMicros(text: string): bigint {
  const [whole, fraction = ""] = text.split(".");
  return BigInt(whole) * MICROS_PER_DOLLAR + BigInt(fraction.padEnd(6, "0"));
}

/** Micro-dollars as a decimal string with at least two decimals ("12.50", "0.000125"). */
export function microsToCost(micros: bigint): string {
  const whole = micros / MICROS_PER_DOLLAR;
  let fraction = (micros % MICROS_PER_DOLLAR).toString().padStart(6, "0").replace(/0+$/, "");
  if (fraction.length < 2) fraction = fraction.padEnd(2, "0");
  return `${whole}.${fraction}`;
}
