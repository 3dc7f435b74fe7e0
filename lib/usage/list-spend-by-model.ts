import "server-only";
import type { Tx } from "../db/with-workspace";
import { formatMoney } from "../agents/money";

export type ModelSpend = { model: string; spent: string; spentMicros: number };

/**
 * What each model cost from `from` to `to`: settled holds at what they were
 * charged (captured, or expired at their held amount; a held one is not spent
 * yet, a voided one never was), plus the reported cost of LLM calls made without
 * an authorization (nothing held for them, so no hold carries their cost).
 * Largest first.
 */
export async function listSpendByModel(tx: Tx, options: { workspaceId: string; from: string; to: string }): Promise<ModelSpend[]> {
  const { workspaceId, from, to } = options;
  const rows = await tx.$queryRaw<{ model: string; spent: bigint }[]>`
    SELECT model, sum(spent)::bigint AS spent FROM (
      SELECT model, COALESCE(charged_micros, 0) AS spent FROM spend_holds
       WHERE workspace_id = ${workspaceId}::uuid AND state IN ('captured', 'expired') AND day BETWEEN ${from}::date AND ${to}::date
      UNION ALL
      SELECT COALESCE(model, 'unknown'), COALESCE(cost_micros, 0) FROM usage_events
       WHERE workspace_id = ${workspaceId}::uuid AND type = 'llm.call' AND authorization_id IS NULL AND day BETWEEN ${from}::date AND ${to}::date
    ) AS charges
    GROUP BY model
    ORDER BY sum(spent) DESC, model`;
  return rows.map((r) => {
    const spent = BigInt(r.spent);
    return { model: r.model, spent: formatMoney(spent), spentMicros: Number(spent) };
  });
}
