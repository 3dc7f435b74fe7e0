import "server-only";
import type { Tx } from "../db/with-workspace";
import { AppError } from "../errors";
import { costToMicros } from "./money-text";
import type { UsageEvent } from "./schemas";

/** What the newly stored events add up to (the metrics move by these, after the commit). */
export type IngestedCounts = { conversations: number; turns: number; llmCalls: number; inputTokens: number; outputTokens: number; toolInvocations: number };

export type IngestResult = { accepted: number; duplicates: number; counts: IngestedCounts };

type Row = { accepted: number; conversations: number; turns: number; llm_calls: number; input_tokens: string; output_tokens: string; tool_invocations: number };

/**
 * Stores a batch of usage events, all or nothing. Exactly once per (workspace, id):
 * the primary key decides, through ON CONFLICT DO NOTHING, so a retried event (or
 * the same batch sent twice at once: the second insert waits on the first's row)
 * is counted once. The daily rollups grow only by the rows that statement really
 * inserted (its RETURNING), in the same statement, so they never drift from the
 * events. Rows go in id order and rollups in (agent, day) order: two batches
 * sharing events take their locks in the same order and never deadlock.
 */
export async function ingestUsageEvents(
  tx: Tx,
  options: { workspaceId: string; keyId: string; events: UsageEvent[] },
): Promise<IngestResult> {
  const { workspaceId, keyId, events } = options;
  const agentIds = [...new Set(events.map((e) => e.agent))];

  // Authorize where we write: the key's binding is read in this transaction.
  const [key] = await tx.$queryRaw<{ agent_id: string | null }[]>`
    SELECT agent_id::text FROM api_keys WHERE id = ${keyId}::uuid AND workspace_id = ${workspaceId}::uuid`;
  const bound = key?.agent_id ?? null;
  if (bound) {
    const others = agentIds.filter((id) => id !== bound);
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

  const column = <T>(pick: (e: UsageEvent) => T | undefined) => events.map((e) => pick(e) ?? null);
  const [row] = await tx.$queryRaw<Row[]>`
    WITH input AS (
      SELECT * FROM unnest(
        ${column((e) => e.id)}::text[], ${column((e) => e.type)}::text[], ${column((e) => e.agent)}::uuid[],
        ${column((e) => e.occurred_at)}::timestamptz[], ${column((e) => e.conversation_id)}::text[],
        ${column((e) => ("model" in e ? e.model : undefined))}::text[],
        ${column((e) => ("input_tokens" in e ? e.input_tokens : undefined))}::int[],
        ${column((e) => ("output_tokens" in e ? e.output_tokens : undefined))}::int[],
        ${column((e) => ("cost" in e && e.cost !== undefined ? costToMicros(e.cost).toString() : undefined))}::bigint[],
        ${column((e) => ("authorization_id" in e ? e.authorization_id : undefined))}::uuid[],
        ${column((e) => ("tool" in e ? e.tool : undefined))}::text[]
      ) AS u(id, type, agent_id, occurred_at, conversation_id, model, input_tokens, output_tokens, cost_micros, authorization_id, tool)
    ),
    inserted AS (
      INSERT INTO usage_events (workspace_id, id, agent_id, type, occurred_at, day, conversation_id, model,
                                input_tokens, output_tokens, cost_micros, authorization_id, tool)
      SELECT ${workspaceId}::uuid, i.id, i.agent_id, i.type, i.occurred_at, (i.occurred_at AT TIME ZONE a.time_zone)::date,
             i.conversation_id, i.model, i.input_tokens, i.output_tokens, i.cost_micros, i.authorization_id, i.tool
        FROM input i JOIN agents a ON a.id = i.agent_id AND a.workspace_id = ${workspaceId}::uuid
       ORDER BY i.id
      ON CONFLICT (workspace_id, id) DO NOTHING
      RETURNING agent_id, day, type, input_tokens, output_tokens, cost_micros
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
    )
    SELECT coalesce(sum(conversations + turns + llm_calls + tool_invocations), 0)::int AS accepted,
           coalesce(sum(conversations), 0)::int AS conversations, coalesce(sum(turns), 0)::int AS turns,
           coalesce(sum(llm_calls), 0)::int AS llm_calls, coalesce(sum(input_tokens), 0)::text AS input_tokens,
           coalesce(sum(output_tokens), 0)::text AS output_tokens, coalesce(sum(tool_invocations), 0)::int AS tool_invocations
      FROM per_day`;

  return {
    accepted: row.accepted,
    duplicates: events.length - row.accepted,
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
