import "server-only";
import type { Tx } from "../db/with-workspace";
import { seedBundledPrices } from "./seed-bundled-prices";

/** Micro-dollars per million tokens. */
export type ModelPrice = { inputPerMtok: bigint; outputPerMtok: bigint };

const lookup = async (tx: Tx, workspaceId: string, model: string, day: string) => {
  const rows = await tx.$queryRaw<{ input: bigint; output: bigint }[]>`
    SELECT input_micros_per_mtok AS input, output_micros_per_mtok AS output
      FROM model_prices
     WHERE workspace_id = ${workspaceId}::uuid AND model = ${model} AND effective_from <= ${day}::date
     ORDER BY effective_from DESC LIMIT 1`;
  return rows[0] ? { inputPerMtok: BigInt(rows[0].input), outputPerMtok: BigInt(rows[0].output) } : null;
};

/**
 * The price of a model on a day (yyyy-mm-dd, the agent's day): the row with the
 * latest effective_from not after it, or null when the model has no price then
 * (the agent's unpriced policy decides). A workspace never viewed in the console
 * gets the bundled prices on its first miss, so the runtime sees them too.
 */
export async function priceFor(tx: Tx, workspaceId: string, model: string, day: string): Promise<ModelPrice | null> {
  const found = await lookup(tx, workspaceId, model, day);
  if (found) return found;
  return (await seedBundledPrices(tx, workspaceId)) > 0 ? lookup(tx, workspaceId, model, day) : null;
}
