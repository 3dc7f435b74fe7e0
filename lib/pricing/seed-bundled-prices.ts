import "server-only";
import type { Tx } from "../db/with-workspace";
import { BUNDLED_PRICES, BUNDLED_PRICES_DATE, BUNDLED_SOURCE } from "./bundled-prices";

/**
 * Gives a workspace the bundled prices on its first view or use. Safe to run any
 * number of times, in parallel: the unique index on (workspace, model, day) and
 * ON CONFLICT DO NOTHING keep one row per model, and an owner's edit of a bundled
 * model on the bundle's day is never overwritten.
 */
export async function seedBundledPrices(tx: Tx, workspaceId: string): Promise<number> {
  const models = BUNDLED_PRICES.map((p) => p.model);
  const inputs = BUNDLED_PRICES.map((p) => p.inputMicrosPerMtok.toString());
  const outputs = BUNDLED_PRICES.map((p) => p.outputMicrosPerMtok.toString());
  return tx.$executeRaw`
    INSERT INTO model_prices (workspace_id, model, input_micros_per_mtok, output_micros_per_mtok, effective_from, source)
    SELECT ${workspaceId}::uuid, m.model, m.input::bigint, m.output::bigint, ${BUNDLED_PRICES_DATE}::date, ${BUNDLED_SOURCE}
      FROM unnest(${models}::text[], ${inputs}::text[], ${outputs}::text[]) AS m(model, input, output)
    ON CONFLICT (workspace_id, model, effective_from) DO NOTHING`;
}
