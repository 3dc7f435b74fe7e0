import "server-only";
import type { Tx } from "../db/with-workspace";
import { formatMoney } from "../agents/money";
import { seedBundledPrices } from "./seed-bundled-prices";

export type ModelPriceRow = { model: string; inputPerMtok: string; outputPerMtok: string; effectiveFrom: string; source: string; upcoming: boolean };

/**
 * Each model's price in effect on a day (and any later one already set), for the
 * console; the first view seeds the bundled prices.
 */
export async function listModelPrices(tx: Tx, workspaceId: string, day: string): Promise<ModelPriceRow[]> {
  await seedBundledPrices(tx, workspaceId);
  const rows = await tx.$queryRaw<{ model: string; input: bigint; output: bigint; effective_from: string; source: string; upcoming: boolean }[]>`
    SELECT model, input_micros_per_mtok AS input, output_micros_per_mtok AS output, effective_from::text AS effective_from, source,
           effective_from > ${day}::date AS upcoming
      FROM (
        SELECT DISTINCT ON (model) * FROM model_prices
         WHERE workspace_id = ${workspaceId}::uuid AND effective_from <= ${day}::date
         ORDER BY model, effective_from DESC
      ) current
    UNION ALL
    SELECT model, input_micros_per_mtok, output_micros_per_mtok, effective_from::text, source, true
      FROM model_prices WHERE workspace_id = ${workspaceId}::uuid AND effective_from > ${day}::date
     ORDER BY 1, 4`;
  return rows.map((r) => ({
    model: r.model,
    inputPerMtok: formatMoney(BigInt(r.input)),
    outputPerMtok: formatMoney(BigInt(r.output)),
    effectiveFrom: r.effective_from,
    source: r.source,
    upcoming: r.upcoming,
  }));
}
