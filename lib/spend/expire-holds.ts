// Not "server-only": the maintenance pass (lib/spend/sweep-expired-holds.ts) runs it outside Next too.
import type { Tx } from "../db/with-workspace";

/** A hold not settled within this long expires, charged at its held amount. */
export const HOLD_TTL_MINUTES = 10;

/**
 * Expires the agent's holds older than HOLD_TTL_MINUTES (and says how many): each is charged at its
 * held amount (never released to zero: an interrupted stream may have been
 * billed) and moved from held to spent on its own day. The state change is
 * conditional (state = 'held'), so a capture or void racing it wins or loses
 * whole, never both. Run lazily before each authorization of the agent, so an
 * expired hold never shows as held and never causes a false refusal.
 */
export async function expireHolds(tx: Tx, options: { workspaceId: string; agentId: string }): Promise<number> {
  const [row] = await tx.$queryRaw<{ expired: number }[]>`
    WITH expired AS (
      UPDATE spend_holds SET state = 'expired', charged_micros = held_micros, settled_at = now()
       WHERE workspace_id = ${options.workspaceId}::uuid AND agent_id = ${options.agentId}::uuid
         AND state = 'held' AND expires_at <= now()
      RETURNING day, held_micros),
    by_day AS (SELECT day, sum(held_micros)::bigint AS total FROM expired GROUP BY day),
    charged AS (
      UPDATE agent_days d SET held_micros = d.held_micros - by_day.total, spent_micros = d.spent_micros + by_day.total
        FROM by_day
       WHERE d.agent_id = ${options.agentId}::uuid AND d.day = by_day.day
      RETURNING 1)
    SELECT count(*)::int AS expired FROM expired`;
  return row.expired;
}
