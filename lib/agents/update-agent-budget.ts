import "server-only";
import type { Tx } from "../db/with-workspace";
import { AppError } from "../errors";
import { recordAuditEvent, type AuditActor } from "../audit/record-audit-event";
import type { RequestContext } from "../http/request-context";
import { lockAgent, type LockedAgent } from "./lock-agent";
import { formatMoney } from "./money";
import type { UpdateAgentBudgetInput } from "./schemas";

const budgetOf = (a: Pick<LockedAgent, "daily_cap_micros" | "time_zone" | "alert_thresholds" | "unpriced_policy">) => ({
  daily_cap: formatMoney(a.daily_cap_micros),
  time_zone: a.time_zone,
  alert_thresholds: a.alert_thresholds,
  unpriced_policy: a.unpriced_policy,
});

/**
 * Changes an agent's cap, zone, thresholds and unpriced policy under its row lock,
 * audited with before and after. Raising the cap resumes an agent halted for the
 * day: the spend path compares against the cap it reads at each authorization.
 */
export async function updateAgentBudget(
  tx: Tx,
  options: { workspaceId: string; input: UpdateAgentBudgetInput; actor: AuditActor & { type: "user" }; context: RequestContext },
): Promise<{ changed: boolean }> {
  const { workspaceId, input, actor, context } = options;
  const agent = await lockAgent(tx, workspaceId, input.agentId);
  if (agent.state === "archived") throw new AppError("conflict", "An archived agent's budget cannot be changed.");
  const before = budgetOf(agent);
  const after = budgetOf({ daily_cap_micros: input.dailyCap, time_zone: input.timeZone, alert_thresholds: input.alertThresholds, unpriced_policy: input.unpricedPolicy });
  if (JSON.stringify(before) === JSON.stringify(after)) return { changed: false };
  await tx.$executeRaw`
    UPDATE agents SET daily_cap_micros = ${input.dailyCap}, time_zone = ${input.timeZone}, alert_thresholds = ${input.alertThresholds}::int[],
           unpriced_policy = ${input.unpricedPolicy}, updated_at = now()
     WHERE id = ${input.agentId}::uuid AND workspace_id = ${workspaceId}::uuid`;
  await recordAuditEvent(tx, {
    workspaceId,
    actor,
    action: "agent.budget_changed",
    context,
    target: { type: "agent", id: input.agentId },
    metadata: { name: agent.name, before, after },
  });
  return { changed: true };
}
