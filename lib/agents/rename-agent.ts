import "server-only";
import type { Tx } from "../db/with-workspace";
import { AppError } from "../errors";
import { isUniqueViolation } from "../db/unique-violation";
import { recordAuditEvent, type AuditActor } from "../audit/record-audit-event";
import type { RequestContext } from "../http/request-context";
import { lockAgent } from "./lock-agent";
import { nameTaken } from "./create-agent";

/** Renames a live agent under its row lock; a name another live agent holds is refused by the unique index. */
export async function renameAgent(
  tx: Tx,
  options: { workspaceId: string; agentId: string; name: string; actor: AuditActor & { type: "user" }; context: RequestContext },
): Promise<{ before: string; after: string }> {
  const { workspaceId, agentId, name, actor, context } = options;
  const agent = await lockAgent(tx, workspaceId, agentId);
  if (agent.state === "archived") throw new AppError("conflict", "An archived agent cannot be renamed.");
  if (agent.name === name) return { before: name, after: name };
  try {
    await tx.$executeRaw`UPDATE agents SET name = ${name}, updated_at = now() WHERE id = ${agentId}::uuid AND workspace_id = ${workspaceId}::uuid`;
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(name);
    throw error;
  }
  await recordAuditEvent(tx, {
    workspaceId,
    actor,
    action: "agent.renamed",
    context,
    target: { type: "agent", id: agentId },
    metadata: { before: { name: agent.name }, after: { name } },
  });
  return { before: agent.name, after: name };
}
