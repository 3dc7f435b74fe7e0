import "server-only";
import type { Tx } from "../db/with-workspace";
import { formatMoney } from "../agents/money";
import { TREND_DAYS } from "./usage-window";

export type TrendDay = { day: string; spent: string; spentMicros: number };

/**
 * Each live agent's spend over its last TREND_DAYS days, today included, each
 * day in the agent's own zone (as its budget counts it), days without a row as 0.
 * `spentMicros` is for drawing only (a bar's height); figures shown are `spent`.
 */
export async function listAgentTrends(tx: Tx, options: { workspaceId: string; now: Date }): Promise<Record<string, TrendDay[]>> {
  const rows = await tx.$queryRaw<{ agent_id: string; day: string; spent: bigint }[]>`
    SELECT a.id::text AS agent_id, g.day::date::text AS day, COALESCE(d.spent_micros, 0)::bigint AS spent
      FROM agents a
     CROSS JOIN LATERAL generate_series(
             (${options.now}::timestamptz AT TIME ZONE a.time_zone)::date - ${TREND_DAYS - 1}::int,
             (${options.now}::timestamptz AT TIME ZONE a.time_zone)::date,
             interval '1 day') AS g(day)
      LEFT JOIN agent_days d ON d.agent_id = a.id AND d.workspace_id = a.workspace_id AND d.day = g.day::date
     WHERE a.workspace_id = ${options.workspaceId}::uuid AND a.archived_at IS NULL
     ORDER BY a.id, g.day`;
  const trends: Record<string, TrendDay[]> = {};
  for (const row of rows) {
    const spent = BigInt(row.spent);
    (trends[row.agent_id] ??= []).push({ day: row.day, spent: formatMoney(spent), spentMicros: Number(spent) });
  }
  return trends;
}
