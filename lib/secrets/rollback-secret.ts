import "server-only";
import type { Tx } from "../db/with-workspace";
import { AppError } from "../errors";
import { recordAuditEvent, type AuditActor } from "../audit/record-audit-event";
import type { RequestContext } from "../http/request-context";
import { lockSecret } from "./lock-secret";
import { readSecretVersion, writeSecretVersion } from "./secret-versions";

/**
 * Writes a new version equal to an old one. Under the secret's row lock, so a
 * concurrent edit, rollback or destroy runs before or after this one: the new
 * version number is the current one plus one as the lock holder sees it, and a
 * version destroyed meanwhile is refused rather than copied.
 */
export async function rollbackSecret(
  tx: Tx,
  options: { workspaceId: string; secretId: string; version: number; actor: AuditActor & { type: "user" }; context: RequestContext },
): Promise<{ version: number; rolledBackFrom: number }> {
  const { workspaceId, actor, context } = options;
  const secret = await lockSecret(tx, workspaceId, options.secretId);
  const value = await readSecretVersion(tx, { workspaceId, secretId: secret.id, version: options.version });
  if (value === null) {
    const exists = options.version <= secret.current_version;
    throw new AppError(
      exists ? "conflict" : "not_found",
      exists ? `Version ${options.version} of ${secret.name} was destroyed: its value is gone and cannot be rolled back to.` : `${secret.name} has no version ${options.version}.`,
    );
  }
  const version = secret.current_version + 1;
  await writeSecretVersion(tx, { workspaceId, secretId: secret.id, version, value, createdById: actor.id, rolledBackFrom: options.version });
  await tx.$executeRaw`
    UPDATE secrets SET current_version = ${version}, revision = revision + 1, value_changed_at = now(),
           updated_by_id = ${actor.id}::uuid, updated_at = now()
     WHERE id = ${secret.id}::uuid AND workspace_id = ${workspaceId}::uuid`;
  await recordAuditEvent(tx, {
    workspaceId,
    actor,
    action: "secret.rolled_back",
    context,
    target: { type: "secret", id: secret.id },
    metadata: { name: secret.name, environment: secret.environment, version, rolled_back_from: options.version },
  });
  return { version, rolledBackFrom: options.version };
}
