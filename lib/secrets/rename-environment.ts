import "server-only";
import type { Tx } from "../db/with-workspace";
import { AppError } from "../errors";
import { isUniqueViolation } from "../db/unique-violation";
import { recordAuditEvent, type AuditActor } from "../audit/record-audit-event";
import type { RequestContext } from "../http/request-context";

/**
 * Renames an environment under its row lock. Secrets and API keys point at its
 * id, so they follow; runtime callers name it in requests and must use the new
 * name. A name already taken is refused by the unique index, not by a prior read.
 */
export async function renameEnvironment(
  tx: Tx,
  options: { workspaceId: string; environmentId: string; name: string; actor: AuditActor & { type: "user" }; context: RequestContext },
): Promise<{ before: string; after: string }> {
  const { workspaceId, environmentId, name, actor, context } = options;
  const [current] = await tx.$queryRaw<{ name: string }[]>`
    SELECT name FROM environments WHERE id = ${environmentId}::uuid AND workspace_id = ${workspaceId}::uuid FOR UPDATE`;
  if (!current) throw new AppError("not_found", "That environment does not exist in this workspace.");
  if (current.name === name) return { before: name, after: name };
  const taken = () => {
    const message = `This workspace already has an environment named ${name}.`;
    return new AppError("conflict", message, { name: [message] });
  };
  try {
    await tx.$executeRaw`UPDATE environments SET name = ${name} WHERE id = ${environmentId}::uuid AND workspace_id = ${workspaceId}::uuid`;
  } catch (error) {
    if (isUniqueViolation(error)) throw taken();
    throw error;
  }
  await recordAuditEvent(tx, {
    workspaceId,
    actor,
    action: "environment.renamed",
    context,
    target: { type: "environment", id: environmentId },
    metadata: { before: { name: current.name }, after: { name } },
  });
  return { before: current.name, after: name };
}
