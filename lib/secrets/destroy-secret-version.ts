import "server-only";
import type { Tx } from "../db/with-workspace";
import { AppError } from "../errors";
import { recordAuditEvent, type AuditActor } from "../audit/record-audit-event";
import type { RequestContext } from "../http/request-context";
import { lockSecret } from "./lock-secret";

/**
 * Wipes one version's ciphertext for good and keeps its metadata (who wrote it,
 * when, who destroyed it). "Destroyed once" is the conditional UPDATE's: of two
 * requests destroying the same version, only the one that finds it still intact
 * changes a row and writes the audit event; the other is told it is already gone.
 */
export async function destroySecretVersion(
  tx: Tx,
  options: { workspaceId: string; secretId: string; version: number; actor: AuditActor & { type: "user" }; context: RequestContext },
): Promise<{ version: number }> {
  const { workspaceId, version, actor, context } = options;
  // The row lock orders this against a rollback reading the same version.
  const secret = await lockSecret(tx, workspaceId, options.secretId);
  const destroyed = await tx.$executeRaw`
    UPDATE secret_versions SET ciphertext = NULL, destroyed_at = now(), destroyed_by_id = ${actor.id}::uuid
     WHERE secret_id = ${secret.id}::uuid AND workspace_id = ${workspaceId}::uuid AND version = ${version} AND destroyed_at IS NULL`;
  if (destroyed === 0) {
    const exists = version <= secret.current_version;
    throw new AppError(exists ? "conflict" : "not_found", exists ? `Version ${version} of ${secret.name} is already destroyed.` : `${secret.name} has no version ${version}.`);
  }
  await recordAuditEvent(tx, {
    workspaceId,
    actor,
    action: "secret.version_destroyed",
    context,
    target: { type: "secret", id: secret.id },
    metadata: { name: secret.name, environment: secret.environment, version, current: version === secret.current_version },
  });
  return { version };
}
