import "server-only";
import type { Tx } from "../db/with-workspace";
import { formatMoney } from "../agents/money";
import { countConversations30d } from "./count-conversations-30d";

export type UsageGlance = {
  conversations30d: number;
  /** Spent today across the workspace's agents, each agent's today in its own zone. */
  spentToday: string;
  /** Active agents whose today's spend and holds have reached the cap: refused until their midnight or a higher cap. */
  haltedAgents: { id: string; name: string }[];
};

/** The overview's usage figures, read in the overview's own transaction. */
export async function getUsageGlance(tx: Tx, options: { workspaceId: string; now: Date }): Promise<UsageGlance> {
  const { workspaceId, now } = options;
  const conversations30d = await countConversations30d(tx, { workspaceId, now });
  const rows = await tx.$queryRaw<{ id: string; name: string; state: string; archived: boolean; cap: bigint; spent: bigint; held: bigint }[]>`
    SELECT a.id::text AS id, a.name, a.state, a.archived_at IS NOT NULL AS archived, a.daily_cap_micros AS cap,
           COALESCE(d.spent_micros, 0)::bigint AS spent, COALESCE(d.held_micros, 0)::bigint AS held
      FROM agents a
      LEFT JOIN agent_days d ON d.agent_id = a.id AND d.workspace_id = a.workspace_id
                            AND d.day = (${now}::timestamptz AT TIME ZONE a.time_zone)::date
     WHERE a.workspace_id = ${workspaceId}::uuid
     ORDER BY lower(a.name), a.id`;
  let spent = 0n;
  const haltedAgents: UsageGlance["haltedAgents"] = [];
  for (const row of rows) {
    // An agent archived today still spent what it spent.
    spent += BigInt(row.spent);
    if (!row.archived && row.state === "active" && BigInt(row.spent) + BigInt(row.held) >= BigInt(row.cap)) haltedAgents.push({ id: row.id, name: row.name });
  }
  return { conversations30d, spentToday: formatMoney(spent), haltedAgents };
}
