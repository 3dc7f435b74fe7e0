import "server-only";
import type { z } from "zod";
import type { Tx } from "../db/with-workspace";
import { formatMoney } from "../agents/money";
import type { workspaceUsageQuerySchema, workspaceUsageSchema } from "./schemas";

type Totals = { conversations: number; turns: number; llm_calls: number; input_tokens: string; output_tokens: string; tool_invocations: number; cost_micros: string };

const DAY_MS = 86_400_000;
const todayIn = (timeZone: string) => new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

const present = (row: Totals) => ({
  conversations: row.conversations,
  turns: row.turns,
  llm_calls: row.llm_calls,
  input_tokens: Number(row.input_tokens),
  output_tokens: Number(row.output_tokens),
  tool_invocations: row.tool_invocations,
  cost: formatMoney(BigInt(row.cost_micros)),
});

const SUMS = `sum(conversations)::int AS conversations, sum(turns)::int AS turns, sum(llm_calls)::int AS llm_calls,
  sum(input_tokens)::text AS input_tokens, sum(output_tokens)::text AS output_tokens,
  sum(tool_invocations)::int AS tool_invocations, sum(cost_micros)::text AS cost_micros`;

/**
 * A window of the daily rollups (each agent's day is in its own zone: a day is
 * the agent's, as its budget counts it) and the rolling 30-day conversation count
 * from the events themselves (exact to the instant, not to a day boundary).
 */
export async function getWorkspaceUsage(tx: Tx, options: { workspaceId: string; query: z.output<typeof workspaceUsageQuerySchema> }): Promise<z.output<typeof workspaceUsageSchema>> {
  const { workspaceId, query } = options;
  const [workspace] = await tx.$queryRaw<{ time_zone: string }[]>`SELECT time_zone FROM workspaces WHERE id = ${workspaceId}::uuid`;
  const timeZone = query.tz ?? workspace?.time_zone ?? "UTC";
  const to = query.to ?? (query.from ? addDays(query.from, 29) : todayIn(timeZone));
  const from = query.from ?? addDays(to, -29);

  const [conversations] = await tx.$queryRaw<{ count: number }[]>`
    SELECT count(*)::int AS count FROM usage_events
     WHERE workspace_id = ${workspaceId}::uuid AND type = 'conversation.started' AND occurred_at > now() - interval '30 days'`;
  const agents = await tx.$queryRawUnsafe<(Totals & { agent_id: string; name: string })[]>(
    `SELECT a.id::text AS agent_id, a.name, ${SUMS.replace(/sum\((\w+)\)/g, "coalesce(sum(d.$1), 0)")}
       FROM agents a LEFT JOIN usage_daily d ON d.agent_id = a.id AND d.workspace_id = a.workspace_id AND d.day BETWEEN $2::date AND $3::date
      WHERE a.workspace_id = $1::uuid
      GROUP BY a.id, a.name ORDER BY a.name, a.id`,
    workspaceId,
    from,
    to,
  );
  const days = await tx.$queryRawUnsafe<(Totals & { day: string; agent_id: string })[]>(
    `SELECT day::text AS day, agent_id::text AS agent_id, ${SUMS}
       FROM usage_daily WHERE workspace_id = $1::uuid AND day BETWEEN $2::date AND $3::date
      GROUP BY day, agent_id ORDER BY day, agent_id`,
    workspaceId,
    from,
    to,
  );
  return {
    from,
    to,
    time_zone: timeZone,
    conversations_30d: conversations?.count ?? 0,
    agents: agents.map((a) => ({ agent_id: a.agent_id, name: a.name, ...present(a) })),
    days: days.map((d) => ({ day: d.day, agent_id: d.agent_id, ...present(d) })),
  };
}
