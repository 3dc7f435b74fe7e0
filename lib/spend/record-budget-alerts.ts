import "server-only";
import type { AuditActor } from "../audit/record-audit-event";
import { recordAuditEvents } from "../audit/record-audit-event";
import type { Tx } from "../db/with-workspace";
import type { RequestContext } from "../http/request-context";
import { formatMoney } from "./money";

export type DayTotals = { spent: bigint; held: bigint; alerted: number[] };
export type AlertedAgent = { id: string; name: string; capMicros: bigint; thresholds: number[] };

/**
 * Audits agent.budget_alert once per threshold per agent day, in the transaction
 * of the hold or capture that crossed it. The caller has just updated the day
 * row, so this transaction holds its lock and `alerted` is current; the
 * conditional UPDATE (no threshold of ours alerted yet) is still what decides,
 * so no interleaving can alert a threshold twice.
 */
export async function recordBudgetAlerts(tx: Tx, options: { workspaceId: string; agent: AlertedAgent; day: string; totals: DayTotals; actor: AuditActor; context: RequestContext }): Promise<number[]> {
  const { agent, totals } = options;
  if (agent.capMicros <= 0n) return [];
  const used = totals.spent + totals.held;
  const crossed = agent.thresholds.filter((t) => used * 100n >= BigInt(t) * agent.capMicros && !totals.alerted.includes(t)).sort((a, b) => a - b);
  if (crossed.length === 0) return [];
  const claimed = await tx.$executeRaw`
    UPDATE agent_days SET alerted_thresholds = alerted_thresholds || ${crossed}::int[]
     WHERE workspace_id = ${options.workspaceId}::uuid AND agent_id = ${agent.id}::uuid AND day = ${options.day}::date
       AND NOT (alerted_thresholds && ${crossed}::int[])`;
  if (claimed !== 1) return [];
  await recordAuditEvents(
    tx,
    crossed.map((threshold) => ({
      workspaceId: options.workspaceId,
      actor: options.actor,
      action: "agent.budget_alert" as const,
      target: { type: "agent", id: agent.id },
      metadata: {
        name: agent.name,
        agent_id: agent.id,
        threshold,
        day: options.day,
        spent: formatMoney(totals.spent),
        held: formatMoney(totals.held),
        cap: formatMoney(agent.capMicros),
      },
      context: options.context,
    })),
  );
  return crossed;
}
