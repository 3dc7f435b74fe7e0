import "server-only";
import type { Tx } from "../db/with-workspace";
import { AppError } from "../errors";
import { recordAuditEvent, type AuditActor } from "../audit/record-audit-event";
import type { RequestContext } from "../http/request-context";
import { lockSecret } from "./lock-secret";
import { readSecretVersion } from "./secret-versions";

/**
 * A version's value (the current one unless another is named), for the person
 * who asked to see it: audited as secret.revealed in the same transaction, so no
 * value is shown without its record. The value goes only to the caller, never
 * into the audit row, an error or a log.
 */
export async function revealSecret(
  tx: Tx,
  options: { workspaceId: string; secretId: string; version?: number; actor: AuditActor & { type: "user" }; context: RequestContext },
): Promise<{ value: string; version: number }> {
  const { workspaceId, actor, context } = options;
  // The lock orders a reveal after a destroy in flight: a value destroyed is never shown afterwards.
  const secret = await lockSecret(tx, workspaceId, options.secretId);
  const version = options.version ?? secret.current_version;
  const value = await readSecretVersion(tx, { workspaceId, secretId: secret.id, version });
  if (value === null) {
    const exists = version <= secret.current_version;
    throw new AppError(exists ? "conflict" : "not_found", exists ? `Version ${version} of ${secret.name} was destroyed: its value is gone.` : `${secret.name} has no version ${version}.`);
  }
  await recordAuditEvent(tx, {
    workspaceId,
    actor,
    action: "secret.revealed",
    context,
    target: { type: "secret", id: secret.id },
    metadata: { name: secret.name, environment: secret.environment, version },
  });
  return { value, version };
}
