import "server-only";
import type { AuditActor } from "../audit/record-audit-event";
import type { Tx } from "../db/with-workspace";
import { AppError } from "../errors";
import type { RequestContext } from "../http/request-context";
import { parseMoney } from "../spend/money";
import { recordBudgetAlerts } from "../spend/record-budget-alerts";
import { seedBundledPrices } from "../pricing/seed-bundled-prices";
import { checkCapturedHolds } from "./check-captured-holds";
import type { UsageEvent } from "./schemas";

/** What the newly stored events add up to (the metrics move by these, after the commit). */
export type IngestedCounts = { conversations: number; turns: number; llmCalls: number; inputTokens: number; outputTokens: number; toolInvocations: number };

export type IngestResult = { accepted: number; duplicates: number; captured: number; counts: IngestedCounts };

type ChargedDay = { agent_id: string; day: string; spent: string; held: string; alerted: number[] };
type Row = {
  accepted: number;
  conversations: number;
  turns: number;
  llm_calls: number;
  input_tokens: string;
  output_tokens: string;
  tool_invocations: number;
  captured: number;
  charged: ChargedDay[] | null;
};

export type IngestUsageOptions = {
  workspaceId: string;
  /** The agent the key is bound to (read with the key, in this transaction), or null: it reports for any. */
  boundAgentId: string | null;
  events: UsageEvent[];
  actor: AuditActor;
  context: RequestContext;
};

/**
 * Stores a batch of usage events, all or nothing, in one statement. Exactly once
 * per (workspace, id): the primary key decides, through ON CONFLICT DO NOTHING, so
 * a retried event (or the same batch sent twice at once: the second insert waits
 * on the first's row) counts once, and everything below moves only by the rows
 * that statement really inserted (its RETURNING):
 * - the daily rollups per agent;
 * - an llm.call without a cost is priced at the model's price on its day (an
 *   unpriced one is stored without a cost: nothing is invented);
 * - an llm.call naming an authorization captures that hold at the call's cost (the
 *   hold's amount when the call has none, never zero), conditionally on the hold
 *   still being held, so a racing capture, void or expiry settles it once;
 * - an llm.call without an authorization is spend all the same: its cost is
 *   charged to the agent's day, where the cap sees it.
 * Rows go in id order and day rows in (agent, day) order: two batches take their
 * locks in the same order and never deadlock.
 */
export async function ingestUsageEvents(tx: Tx, options: IngestUsageOptions): Promise<IngestResult> {
  const { workspaceId, boundAgentId, events } = options;
  const agentIds = [...new Set(events.map((e) => e.agent))];
  if (boundAgentId !== null) {
    const others = agentIds.filter((id) => id !== boundAgentId);
    if (others.length > 0) {
      throw new AppError("forbidden", `This API key acts only for its own agent; it may not report for ${others.join(", ")}.`, { agent: others }, "agent_not_allowed");
    }
  }
  const known = await tx.$queryRaw<{ id: string }[]>`
    SELECT id::text FROM agents WHERE workspace_id = ${workspaceId}::uuid AND id = ANY(${agentIds}::uuid[])`;
  const unknown = agentIds.filter((id) => !known.some((row) => row.id === id));
  if (unknown.length > 0) {
    throw new AppError("not_found", `No such agent in this workspace: ${unknown.join(", ")}. Nothing was stored.`, { agent: unknown }, "agent_not_found");
  }
  await checkCapturedHolds(tx, { workspaceId, events });
  // A call to be priced here finds the bundled prices in a workspace that never looked at its own.
  if (events.some((e) => e.type === "llm.call" && e.cost === undefined)) await seedBundledPrices(tx, workspaceId);

  const column = <T>(pick: (e: UsageEvent) => T | undefined) => events.map((e) => pick(e) ?? null);
  const [row] = await tx.$queryRaw<Row[]>`
    WITH input AS (
      SELECT * FROM unnest(
        ${column((e) => e.id)}::text[], ${column((e) => e.type)}::text[], ${column((e) => e.agent)}::uuid[],
        ${column((e) => e.occurred_at)}::timestamptz[], ${column((e) => e.conversation_id)}::text[],
        ${column((e) => ("model" in e ? e.model : undefined))}::text[],
        ${column((e) => ("input_tokens" in e ? e.input_tokens : undefined))}::int[],
        ${column((e) => ("output_tokens" in e ? e.output_tokens : undefined))}::int[],
        ${column((e) => ("cost" in e && e.cost !== undefined ? parseMoney(e.cost).toString() : undefined))}::bigint[],
        ${column((e) => ("authorization_id" in e ? e.authorization_id : undefined))}::uuid[],
        ${column((e) => ("tool" in e ? e.tool : undefined))}::text[]
      ) AS u(id, type, agent_id, occurred_at, conversation_id, model, input_tokens, output_tokens, cost_micros, authorization_id, tool)
    ),
    dated AS (
      SELECT i.*, (i.occurred_at AT TIME ZONE a.time_zone)::date AS day
        FROM input i JOIN agents a ON a.id = i.agent_id AND a.workspace_id = ${workspaceId}::uuid
    ),
    inserted AS (
      INSERT INTO usage_events (workspace_id, id, agent_id, type, occurred_at, day, conversation_id, model,
                                input_tokens, output_tokens, cost_micros, authorization_id, tool)
      SELECT ${workspaceId}::uuid, i.id, i.agent_id, i.type, i.occurred_at, i.day, i.conversation_id, i.model, i.input_tokens, i.output_tokens,
             -- Rounded up, as a hold is: a priced call is never free.
             coalesce(i.cost_micros, (i.input_tokens::bigint * p.input_micros_per_mtok + i.output_tokens::bigint * p.output_micros_per_mtok + 999999) / 1000000),
             i.authorization_id, i.tool
        FROM dated i
        LEFT JOIN LATERAL (
          SELECT input_micros_per_mtok, output_micros_per_mtok FROM model_prices
           WHERE i.type = 'llm.call' AND workspace_id = ${workspaceId}::uuid AND model = i.model AND effective_from <= i.day
           ORDER BY effective_from DESC LIMIT 1) p ON true
       ORDER BY i.id
      ON CONFLICT (workspace_id, id) DO NOTHING
      RETURNING agent_id, day, type, input_tokens, output_tokens, cost_micros, authorization_id
    ),
    per_day AS (
      SELECT agent_id, day,
             count(*) FILTER (WHERE type = 'conversation.started')::int AS conversations,
             count(*) FILTER (WHERE type = 'turn.completed')::int AS turns,
             count(*) FILTER (WHERE type = 'llm.call')::int AS llm_calls,
             coalesce(sum(input_tokens), 0)::bigint AS input_tokens,
             coalesce(sum(output_tokens), 0)::bigint AS output_tokens,
             count(*) FILTER (WHERE type = 'tool.invoked')::int AS tool_invocations,
             coalesce(sum(cost_micros), 0)::bigint AS cost_micros
        FROM inserted GROUP BY agent_id, day
    ),
    rolled AS (
      INSERT INTO usage_daily AS d (workspace_id, agent_id, day, conversations, turns, llm_calls, input_tokens, output_tokens, tool_invocations, cost_micros)
      SELECT ${workspaceId}::uuid, agent_id, day, conversations, turns, llm_calls, input_tokens, output_tokens, tool_invocations, cost_micros
        FROM per_day ORDER BY agent_id, day
      ON CONFLICT (agent_id, day) DO UPDATE SET
        conversations = d.conversations + EXCLUDED.conversations,
        turns = d.turns + EXCLUDED.turns,
        llm_calls = d.llm_calls + EXCLUDED.llm_calls,
        input_tokens = d.input_tokens + EXCLUDED.input_tokens,
        output_tokens = d.output_tokens + EXCLUDED.output_tokens,
        tool_invocations = d.tool_invocations + EXCLUDED.tool_invocations,
        cost_micros = d.cost_micros + EXCLUDED.cost_micros
      RETURNING 1
    ),
    captured AS (
      -- An unpriced call reported at zero is charged its hold: never settled to zero.
      UPDATE spend_holds h SET state = 'captured', settled_at = now(),
             charged_micros = CASE WHEN e.cost_micros IS NULL OR (e.cost_micros = 0 AND NOT EXISTS (
                                     SELECT 1 FROM model_prices mp WHERE mp.workspace_id = h.workspace_id AND mp.model = h.model AND mp.effective_from <= h.day))
                                   THEN h.held_micros ELSE e.cost_micros END
        FROM inserted e
       WHERE e.type = 'llm.call' AND h.id = e.authorization_id AND h.workspace_id = ${workspaceId}::uuid AND h.agent_id = e.agent_id
         AND h.state = 'held' AND h.expires_at > now()
      RETURNING h.agent_id, h.day, h.held_micros, h.charged_micros
    ),
    charges AS (
      SELECT agent_id, day, charged_micros AS spent, held_micros AS released FROM captured
      UNION ALL
      SELECT agent_id, day, cost_micros, 0 FROM inserted WHERE type = 'llm.call' AND authorization_id IS NULL AND cost_micros > 0
    ),
    by_day AS (SELECT agent_id, day, sum(spent)::bigint AS spent, sum(released)::bigint AS released FROM charges GROUP BY agent_id, day),
    charged AS (
      INSERT INTO agent_days AS d (workspace_id, agent_id, day, spent_micros)
      SELECT ${workspaceId}::uuid, agent_id, day, spent FROM by_day ORDER BY agent_id, day
      ON CONFLICT (agent_id, day) DO UPDATE SET
        spent_micros = d.spent_micros + EXCLUDED.spent_micros,
        held_micros = d.held_micros - (SELECT b.released FROM by_day b WHERE b.agent_id = d.agent_id AND b.day = d.day)
      RETURNING agent_id::text, day::text, spent_micros::text AS spent, held_micros::text AS held, alerted_thresholds AS alerted
    )
    SELECT coalesce(sum(conversations + turns + llm_calls + tool_invocations), 0)::int AS accepted,
           coalesce(sum(conversations), 0)::int AS conversations, coalesce(sum(turns), 0)::int AS turns,
           coalesce(sum(llm_calls), 0)::int AS llm_calls, coalesce(sum(input_tokens), 0)::text AS input_tokens,
           coalesce(sum(output_tokens), 0)::text AS output_tokens, coalesce(sum(tool_invocations), 0)::int AS tool_invocations,
           (SELECT count(*)::int FROM captured) AS captured,
           (SELECT json_agg(charged) FROM charged) AS charged
      FROM per_day`;

  await alertChargedDays(tx, options, row.charged ?? []);
  return {
    accepted: row.accepted,
    duplicates: events.length - row.accepted,
    captured: row.captured,
    counts: {
      conversations: row.conversations,
      turns: row.turns,
      llmCalls: row.llm_calls,
      inputTokens: Number(row.input_tokens),
      outputTokens: Number(row.output_tokens),
      toolInvocations: row.tool_invocations,
    },
  };
}

/** The thresholds the charged days crossed, alerted once each (this transaction holds those day rows' locks). */
async function alertChargedDays(tx: Tx, options: IngestUsageOptions, days: ChargedDay[]) {
  if (days.length === 0) return;
  const agents = await tx.$queryRaw<{ id: string; name: string; daily_cap_micros: bigint; alert_thresholds: number[] }[]>`
    SELECT id::text, name, daily_cap_micros, alert_thresholds FROM agents
     WHERE workspace_id = ${options.workspaceId}::uuid AND id = ANY(${[...new Set(days.map((d) => d.agent_id))]}::uuid[])`;
  for (const day of days) {
    const agent = agents.find((a) => a.id === day.agent_id);
    if (!agent) continue;
    await recordBudgetAlerts(tx, {
      workspaceId: options.workspaceId,
      agent: { id: agent.id, name: agent.name, capMicros: agent.daily_cap_micros, thresholds: agent.alert_thresholds },
      day: day.day,
      totals: { spent: BigInt(day.spent), held: BigInt(day.held), alerted: day.alerted },
      actor: options.actor,
      context: options.context,
    });
  }
}
