import "server-only";
import type { Tx } from "../db/with-workspace";
import { AppError } from "../errors";
import { recordAuditEvent, type AuditActor } from "../audit/record-audit-event";
import type { RequestContext } from "../http/request-context";
import { formatMoney } from "./money";
import { DEFAULT_THRESHOLDS, type CreateAgentInput } from "./schemas";

export const nameTaken = (name: string) => {
  const message = `This workspace already has an agent named ${name}.`;
  return new AppError("conflict", message, { name: [message] });
};

/**
 * A new agent. Its zone defaults to the workspace's (UTC when it has none); the
 * name's uniqueness among live agents is the partial unique index's (ON CONFLICT
 * decides, so two creates racing for one name cannot both win).
 */
export async function createAgent(
  tx: Tx,
  options: { workspaceId: string; input: CreateAgentInput; actor: AuditActor & { type: "user" }; context: RequestContext },
): Promise<{ agentId: string; name: string }> {
  const { workspaceId, input, actor, context } = options;
  const thresholds = input.alertThresholds ?? DEFAULT_THRESHOLDS;
  const inserted = await tx.$queryRaw<{ id: string; time_zone: string }[]>`
    INSERT INTO agents (workspace_id, name, daily_cap_micros, time_zone, alert_thresholds, unpriced_policy, created_by_id)
    SELECT ${workspaceId}::uuid, ${input.name}, ${input.dailyCap}, COALESCE(${input.timeZone ?? null}::text, w.time_zone, 'UTC'),
           ${thresholds}::int[], ${input.unpricedPolicy}, ${actor.id}::uuid
      FROM workspaces w WHERE w.id = ${workspaceId}::uuid
    ON CONFLICT (workspace_id, name) WHERE archived_at IS NULL DO NOTHING
    RETURNING id::text AS id, time_zone`;
  if (inserted.length === 0) throw nameTaken(input.name);
  await recordAuditEvent(tx, {
    workspaceId,
    actor,
    action: "agent.created",
    context,
    target: { type: "agent", id: inserted[0].id },
    metadata: {
      name: input.name,
      daily_cap: formatMoney(input.dailyCap),
      time_zone: inserted[0].time_zone,
      alert_thresholds: thresholds,
      unpriced_policy: input.unpricedPolicy,
    },
  });
  return { agentId: inserted[0].id, name: input.name };
}
