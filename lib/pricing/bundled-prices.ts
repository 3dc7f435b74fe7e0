import bundled from "./bundled-prices.json";
import { parseMoney } from "../agents/money";

export type BundledPrice = { model: string; inputMicrosPerMtok: bigint; outputMicrosPerMtok: bigint };

const micros = (text: string, where: string) => {
  const parsed = parseMoney(text);
  if (!parsed.ok) throw new Error(`bundled-prices.json: ${where}: ${parsed.message}`);
  return parsed.micros;
};

/** The date of the bundled price list: its rows take effect on it, with source "bundled:<date>". */
export const BUNDLED_PRICES_DATE: string = bundled.date;
export const BUNDLED_SOURCE = `bundled:${bundled.date}`;

export const BUNDLED_PRICES: readonly BundledPrice[] = Object.entries(bundled.models).map(([model, price]) => ({
  model,
  inputMicrosPerMtok: micros(price.input, `${model}.input`),
  outputMicrosPerMtok: micros(price.output, `${model}.output`),
}));
