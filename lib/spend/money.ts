// Money is integer micro-dollars inside (1 USD = 1,000,000) and a decimal string
// in the API ("12.50"): no float ever touches a balance. Parsing and formatting
// are lib/agents/money.ts's; this adds what spending needs.
import { formatMoney, MICROS_PER_DOLLAR, parseMoney as parseAmount } from "../agents/money";

export { formatMoney, MICROS_PER_DOLLAR };

export const MONEY_PATTERN = /^\d{1,9}(\.\d{1,6})?$/;

/** "12.50" → 12500000n, for a string the schemas already matched against MONEY_PATTERN. */
export function parseMoney(text: string): bigint {
  const parsed = parseAmount(text);
  if (!parsed.ok) throw new Error(`Unchecked amount reached parseMoney: ${parsed.message}`);
  return parsed.micros;
}

/** Ceiling division of non-negative integers: a cost is rounded up, never down to a free call. */
export const divCeil = (a: bigint, b: bigint): bigint => (a + b - 1n) / b;

/** Worst-case cost in micros of tokens priced per million tokens, rounded up. */
export const tokenCost = (input: bigint, inputPerMtok: bigint, output: bigint, outputPerMtok: bigint): bigint => divCeil(input * inputPerMtok + output * outputPerMtok, 1_000_000n);
