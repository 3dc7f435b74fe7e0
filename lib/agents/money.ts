// Money is integer micro-dollars inside (1 USD = 1,000,000) and a decimal string
// at the edges ("12.50"). Parsing is done on the digits, never through a float:
// 0.1 + 0.2 is not 0.3 in binary, and a cap must be exactly what was typed.

export const MICROS_PER_DOLLAR = 1_000_000n;
/** The largest amount anything in Warden holds: USD 1 billion (the agents_cap_range check). */
export const MAX_MICROS = 1_000_000_000_000_000n;

const DECIMAL = /^(\d{1,10})(?:\.(\d{1,6}))?$/;

export type MoneyParse = { ok: true; micros: bigint } | { ok: false; message: string };

/** A non-negative decimal amount in dollars ("12.50", "0.000001", "3") as micro-dollars, exactly. */
export function parseMoney(input: string): MoneyParse {
  const text = input.trim();
  if (text.length === 0) return { ok: false, message: "Enter an amount in dollars, e.g. 12.50" };
  if (text.startsWith("-")) return { ok: false, message: "Enter an amount that is not negative" };
  const fraction = /^\d+\.(\d+)$/.exec(text);
  if (fraction && fraction[1].length > 6) return { ok: false, message: "Use at most 6 decimal places (a micro-dollar)" };
  const match = DECIMAL.exec(text);
  if (!match) {
    if (/^\d+(\.\d+)?$/.test(text)) return { ok: false, message: "That amount is too large" };
    return { ok: false, message: "Enter an amount in dollars, e.g. 12.50" };
  }
  const micros = BigInt(match[1]) * MICROS_PER_DOLLAR + BigInt((match[2] ?? "").padEnd(6, "0"));
  if (micros > MAX_MICROS) return { ok: false, message: "That amount is too large (at most 1000000000)" };
  return { ok: true, micros };
}

/** Micro-dollars as a decimal string with at least two decimals ("12.50", "0.000125"). */
export function formatMoney(micros: bigint): string {
  const negative = micros < 0n;
  const abs = negative ? -micros : micros;
  const whole = abs / MICROS_PER_DOLLAR;
  let fraction = (abs % MICROS_PER_DOLLAR).toString().padStart(6, "0").replace(/0+$/, "");
  if (fraction.length < 2) fraction = fraction.padEnd(2, "0");
  return `${negative ? "-" : ""}${whole}.${fraction}`;
}
