import "server-only";
import type { Tx } from "../db/with-workspace";
import { AppError } from "../errors";
import { isUniqueViolation } from "../db/unique-violation";
import { recordAuditEvent, type AuditActor } from "../audit/record-audit-event";
import type { RequestContext } from "../http/request-context";
import { lockSecret } from "./lock-secret";
import { RESTORE_DAYS } from "./delete-secret";

/**
 * Brings a deleted secret back, with its versions, under its row lock. Whether
 * its name is free again in its environment is the partial unique index's to say
 * (secrets_workspace_id_environment_id_name_live_key): a live secret created
 * meanwhile, even one committing at this very moment, makes the UPDATE fail, and
 * the restore is refused with nothing changed.
 */
export async function restoreSecret(
  tx: Tx,
  options: { workspaceId: string; secretId: string; actor: AuditActor & { type: "user" }; context: RequestContext },
): Promise<{ name: string; environment: string }> {
  const { workspaceId, actor, context } = options;
  const secret = await lockSecret(tx, workspaceId, options.secretId, { deleted: true });
  if (secret.deleted_at && secret.deleted_at.getTime() < Date.now() - RESTORE_DAYS * 86_400_000) {
    throw new AppError("conflict", `${secret.name} was deleted more than ${RESTORE_DAYS} days ago and is being purged; it cannot be restored.`);
  }
  try {
    await tx.$executeRaw`
      UPDATE secrets SET deleted_at = NULL, deleted_by_id = NULL, revision = revision + 1, updated_by_id = ${actor.id}::uuid, updated_at = now()
       WHERE id = ${secret.id}::uuid AND workspace_id = ${workspaceId}::uuid AND deleted_at IS NOT NULL`;
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    throw new AppError("conflict", `Another secret named ${secret.name} now exists in ${secret.environment}. Rename or delete that one first, then restore this one.`, undefined, "name_taken");
  }
  await recordAuditEvent(tx, {
    workspaceId,
    actor,
    action: "secret.restored",
    context,
    target: { type: "secret", id: secret.id },
    metadata: { name: secret.name, environment: secret.environment, version: secret.current_version },
  });
  return { name: secret.name, environment: secret.environment };
}
