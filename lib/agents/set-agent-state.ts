import "server-only";
import type { Tx } from "../db/with-workspace";
import { AppError } from "../errors";
import { isUniqueViolation } from "../db/unique-violation";
import { recordAuditEvent, type AuditActor } from "../audit/record-audit-event";
import type { RequestContext } from "../http/request-context";
import { lockAgent } from "./lock-agent";
import { nameTaken } from "./create-agent";
import type { AgentState } from "./schemas";

/**
 * Pauses, resumes or archives an agent under its row lock. Archiving is final
 * here and frees the name (the unique index covers live agents only); a paused
 * or archived agent's authorizations are refused by the spend path, which reads
 * the state. Unarchiving is refused: its keys and history stay with the old row.
 */
export async function setAgentState(
  tx: Tx,
  options: { workspaceId: string; agentId: string; state: AgentState; actor: AuditActor & { type: "user" }; context: RequestContext },
): Promise<{ before: AgentState; after: AgentState }> {
  const { workspaceId, agentId, state, actor, context } = options;
  const agent = await lockAgent(tx, workspaceId, agentId);
  if (agent.state === state) return { before: state, after: state };
  if (agent.state === "archived") throw new AppError("conflict", "This agent is archived; create a new agent instead.");
  try {
    await tx.$executeRaw`
      UPDATE agents SET state = ${state}, updated_at = now(),
             archived_at = CASE WHEN ${state} = 'archived' THEN now() ELSE archived_at END
       WHERE id = ${agentId}::uuid AND workspace_id = ${workspaceId}::uuid`;
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(agent.name);
    throw error;
  }
  await recordAuditEvent(tx, {
    workspaceId,
    actor,
    action: "agent.budget_changed",
    context,
    target: { type: "agent", id: agentId },
    metadata: { name: agent.name, before: { state: agent.state }, after: { state } },
  });
  return { before: agent.state, after: state };
}
