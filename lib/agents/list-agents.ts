import "server-only";
import type { Tx } from "../db/with-workspace";
import { formatMoney } from "./money";
import type { AgentState, UnpricedPolicy } from "./schemas";

export type AgentRow = {
  id: string;
  name: string;
  state: AgentState;
  /** Active, but today's spend and holds have reached the cap: refused until midnight in its zone or a higher cap. */
  haltedToday: boolean;
  dailyCap: string;
  spentToday: string;
  heldToday: string;
  /** spent + held against the cap, 0..100 (100 when the cap is 0). */
  percentUsed: number;
  timeZone: string;
  today: string;
  alertThresholds: number[];
  unpricedPolicy: UnpricedPolicy;
};

/** The workspace's agents that are not archived, with today's row (today in each agent's own zone). */
export async function listAgents(tx: Tx, workspaceId: string): Promise<AgentRow[]> {
  const rows = await tx.$queryRaw<
    {
      id: string;
      name: string;
      state: AgentState;
      cap: bigint;
      spent: bigint;
      held: bigint;
      time_zone: string;
      today: string;
      alert_thresholds: number[];
      unpriced_policy: UnpricedPolicy;
    }[]
  >`
    SELECT a.id::text AS id, a.name, a.state, a.daily_cap_micros AS cap, COALESCE(d.spent_micros, 0) AS spent, COALESCE(d.held_micros, 0) AS held,
           a.time_zone, (now() AT TIME ZONE a.time_zone)::date::text AS today, a.alert_thresholds, a.unpriced_policy
      FROM agents a
      LEFT JOIN agent_days d ON d.agent_id = a.id AND d.day = (now() AT TIME ZONE a.time_zone)::date
     WHERE a.workspace_id = ${workspaceId}::uuid AND a.archived_at IS NULL
     ORDER BY lower(a.name), a.id`;
  return rows.map((r) => {
    const [cap, spent, held] = [BigInt(r.cap), BigInt(r.spent), BigInt(r.held)];
    const used = spent + held;
    return {
      id: r.id,
      name: r.name,
      state: r.state,
      haltedToday: r.state === "active" && used >= cap,
      dailyCap: formatMoney(cap),
      spentToday: formatMoney(spent),
      heldToday: formatMoney(held),
      percentUsed: cap === 0n ? 100 : Number(used >= cap ? 100n : (used * 100n) / cap),
      timeZone: r.time_zone,
      today: r.today,
      alertThresholds: r.alert_thresholds,
      unpricedPolicy: r.unpriced_policy,
    };
  });
}
