import "server-only";
import type { Tx } from "../db/with-workspace";
import { formatMoney } from "../agents/money";

export type DailyUsage = { day: string; spent: string; spentMicros: number; conversations: number };

/**
 * Spend (agent_days, the budget's truth) and conversations (the daily rollups)
 * per day from `from` to `to`, every day present (0 when nothing happened). An
 * agent's day is in its own zone; the window is the workspace's days.
 */
export async function listDailyUsage(tx: Tx, options: { workspaceId: string; from: string; to: string }): Promise<DailyUsage[]> {
  const { workspaceId, from, to } = options;
  const rows = await tx.$queryRaw<{ day: string; spent: bigint; conversations: number }[]>`
    SELECT g.day::date::text AS day, COALESCE(s.spent, 0)::bigint AS spent, COALESCE(c.conversations, 0)::int AS conversations
      FROM generate_series(${from}::date, ${to}::date, interval '1 day') AS g(day)
      LEFT JOIN (SELECT day, sum(spent_micros) AS spent FROM agent_days
                  WHERE workspace_id = ${workspaceId}::uuid AND day BETWEEN ${from}::date AND ${to}::date GROUP BY day) s ON s.day = g.day::date
      LEFT JOIN (SELECT day, sum(conversations) AS conversations FROM usage_daily
                  WHERE workspace_id = ${workspaceId}::uuid AND day BETWEEN ${from}::date AND ${to}::date GROUP BY day) c ON c.day = g.day::date
     ORDER BY g.day`;
  return rows.map((r) => {
    const spent = BigInt(r.spent);
    return { day: r.day, spent: formatMoney(spent), spentMicros: Number(spent), conversations: r.conversations };
  });
}
