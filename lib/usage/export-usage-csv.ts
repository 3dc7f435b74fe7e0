import "server-only";
import { authorizeWorkspace } from "../authz/authorize-workspace";
import { withWorkspace } from "../db/with-workspace";
import { parseQuery } from "../http/parse-query";
import type { RequestContext } from "../http/request-context";
import { recordAuditEvent } from "../audit/record-audit-event";
import { formatMoney } from "../agents/money";
import { workspaceUsageQuerySchema } from "./schemas";
import { addDays, lastDays, USAGE_WINDOW_DAYS } from "./usage-window";

const CSV_HEADER = "day,agent_id,agent_name,conversations,turns,llm_calls,input_tokens,output_tokens,tool_invocations,reported_cost,spent\r\n";

type Row = {
  day: string;
  agent_id: string;
  name_cell: string;
  conversations: number;
  turns: number;
  llm_calls: number;
  input_tokens: string;
  output_tokens: string;
  tool_invocations: number;
  cost: bigint;
  spent: bigint;
};

/**
 * The workspace's usage as CSV, one row per agent and day of the window (the
 * agent's own days, as its budget counts them; days without usage as zeros), for
 * agents that are live or had usage in it. `reported_cost` is what the runtime
 * reported; `spent` is what the budget charged (agent_days). The agent's name is
 * the one cell people type, so it goes through the audit export's formula-safe
 * cell (public.audit_csv_cell); the rest are dates, ids and numbers. Reading and
 * recording the export share one transaction: nothing leaves unrecorded.
 */
export async function exportUsageCsv(options: { slug: string; params: URLSearchParams; context: RequestContext; now?: Date }) {
  const { membership, actor } = await authorizeWorkspace(options.slug, "usage.read");
  const query = parseQuery(workspaceUsageQuerySchema, options.params);
  const now = options.now ?? new Date();
  const { workspaceId } = membership;
  const { rows, from, to, timeZone } = await withWorkspace(workspaceId, async (tx) => {
    const [workspace] = await tx.$queryRaw<{ time_zone: string }[]>`SELECT time_zone FROM workspaces WHERE id = ${workspaceId}::uuid`;
    const timeZone = query.tz ?? workspace?.time_zone ?? "UTC";
    const to = query.to ?? (query.from ? addDays(query.from, USAGE_WINDOW_DAYS - 1) : lastDays(timeZone, 1, now).to);
    const from = query.from ?? addDays(to, -(USAGE_WINDOW_DAYS - 1));
    const rows = await tx.$queryRaw<Row[]>`
      SELECT g.day::date::text AS day, a.id::text AS agent_id, public.audit_csv_cell(a.name) AS name_cell,
             COALESCE(u.conversations, 0)::int AS conversations, COALESCE(u.turns, 0)::int AS turns, COALESCE(u.llm_calls, 0)::int AS llm_calls,
             COALESCE(u.input_tokens, 0)::text AS input_tokens, COALESCE(u.output_tokens, 0)::text AS output_tokens,
             COALESCE(u.tool_invocations, 0)::int AS tool_invocations, COALESCE(u.cost_micros, 0)::bigint AS cost,
             COALESCE(d.spent_micros, 0)::bigint AS spent
        FROM agents a
       CROSS JOIN generate_series(${from}::date, ${to}::date, interval '1 day') AS g(day)
        LEFT JOIN usage_daily u ON u.agent_id = a.id AND u.workspace_id = a.workspace_id AND u.day = g.day::date
        LEFT JOIN agent_days d ON d.agent_id = a.id AND d.workspace_id = a.workspace_id AND d.day = g.day::date
       WHERE a.workspace_id = ${workspaceId}::uuid
         AND (a.archived_at IS NULL
              OR EXISTS (SELECT 1 FROM usage_daily x WHERE x.agent_id = a.id AND x.day BETWEEN ${from}::date AND ${to}::date)
              OR EXISTS (SELECT 1 FROM agent_days x WHERE x.agent_id = a.id AND x.day BETWEEN ${from}::date AND ${to}::date))
       ORDER BY g.day, lower(a.name), a.id`;
    await recordAuditEvent(tx, {
      workspaceId,
      actor,
      action: "usage.exported",
      metadata: { from, to, time_zone: timeZone, rows: rows.length },
      context: options.context,
    });
    return { rows, from, to, timeZone };
  });
  const lines = rows.map(
    (r) =>
      [r.day, r.agent_id, r.name_cell, r.conversations, r.turns, r.llm_calls, r.input_tokens, r.output_tokens, r.tool_invocations, formatMoney(BigInt(r.cost)), formatMoney(BigInt(r.spent))].join(
        ",",
      ) + "\r\n",
  );
  return {
    body: CSV_HEADER + lines.join(""),
    from,
    to,
    timeZone,
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="usage-${membership.slug}-${from}-to-${to}.csv"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  };
}
