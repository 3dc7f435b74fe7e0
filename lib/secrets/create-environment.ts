import "server-only";
import type { Tx } from "../db/with-workspace";
import { AppError } from "../errors";
import { recordAuditEvent, type AuditActor } from "../audit/record-audit-event";
import type { RequestContext } from "../http/request-context";

/** A new environment; its name's uniqueness in the workspace is the unique index's (ON CONFLICT decides). */
export async function createEnvironment(
  tx: Tx,
  options: { workspaceId: string; name: string; actor: AuditActor & { type: "user" }; context: RequestContext },
): Promise<{ environmentId: string; name: string }> {
  const { workspaceId, name, actor, context } = options;
  const inserted = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO environments (workspace_id, name) VALUES (${workspaceId}::uuid, ${name})
    ON CONFLICT (workspace_id, name) DO NOTHING
    RETURNING id::text AS id`;
  if (inserted.length === 0) {
    const message = `This workspace already has an environment named ${name}.`;
    throw new AppError("conflict", message, { name: [message] });
  }
  await recordAuditEvent(tx, {
    workspaceId,
    actor,
    action: "environment.created",
    context,
    target: { type: "environment", id: inserted[0].id },
    metadata: { name },
  });
  return { environmentId: inserted[0].id, name };
}
