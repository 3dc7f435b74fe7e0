import "server-only";
import type { Tx } from "../db/with-workspace";
import { recordAuditEvent, type AuditActor } from "../audit/record-audit-event";
import type { RequestContext } from "../http/request-context";
import { lockSecret } from "./lock-secret";

/** Days a deleted secret can be restored before lib/secrets/purge-deleted-secrets.ts removes it (the RLS policy secrets_purge_only says the same). */
export const RESTORE_DAYS = 30;

/**
 * Soft-deletes a secret: it leaves the list and the runtime, keeps its versions,
 * and can be restored for 30 days. Under the row lock, so an edit or a restore
 * running at the same moment sees the deletion; the revision moves on, so an edit
 * form opened before it is refused as stale.
 */
export async function deleteSecret(
  tx: Tx,
  options: { workspaceId: string; secretId: string; actor: AuditActor & { type: "user" }; context: RequestContext },
): Promise<{ name: string; environment: string }> {
  const { workspaceId, actor, context } = options;
  const secret = await lockSecret(tx, workspaceId, options.secretId);
  await tx.$executeRaw`
    UPDATE secrets SET deleted_at = now(), deleted_by_id = ${actor.id}::uuid, revision = revision + 1
     WHERE id = ${secret.id}::uuid AND workspace_id = ${workspaceId}::uuid AND deleted_at IS NULL`;
  await recordAuditEvent(tx, {
    workspaceId,
    actor,
    action: "secret.deleted",
    context,
    target: { type: "secret", id: secret.id },
    metadata: { name: secret.name, environment: secret.environment, version: secret.current_version },
  });
  return { name: secret.name, environment: secret.environment };
}
