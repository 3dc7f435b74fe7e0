import "server-only";
import type { Tx } from "../db/with-workspace";
import { AppError } from "../errors";
import type { AgentState, UnpricedPolicy } from "./schemas";

export type LockedAgent = {
  id: string;
  name: string;
  state: AgentState;
  daily_cap_micros: bigint;
  time_zone: string;
  alert_thresholds: number[];
  unpriced_policy: UnpricedPolicy;
};

export const AGENT_NOT_FOUND = "That agent does not exist in this workspace.";

/**
 * The agent's row locked FOR UPDATE in the writing transaction: every change to an
 * agent (name, state, budget) reads what it checks under this lock, so two changes
 * run one after the other and each audit's "before" is what the other left.
 */
export async function lockAgent(tx: Tx, workspaceId: string, agentId: string): Promise<LockedAgent> {
  const rows = await tx.$queryRaw<LockedAgent[]>`
    SELECT id::text AS id, name, state, daily_cap_micros, time_zone, alert_thresholds, unpriced_policy
      FROM agents WHERE id = ${agentId}::uuid AND workspace_id = ${workspaceId}::uuid
       FOR UPDATE`;
  if (!rows[0]) throw new AppError("not_found", AGENT_NOT_FOUND);
  return { ...rows[0], daily_cap_micros: BigInt(rows[0].daily_cap_micros) };
}
