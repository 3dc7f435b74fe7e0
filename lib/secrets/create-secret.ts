import "server-only";
import type { Tx } from "../db/with-workspace";
import { AppError } from "../errors";
import { recordAuditEvent, type AuditActor } from "../audit/record-audit-event";
import type { RequestContext } from "../http/request-context";
import { findEnvironment } from "./find-environment";
import { expiresAtFromDay } from "./secret-status";
import { writeSecretVersion } from "./secret-versions";
import type { CreateSecretInput } from "./schemas";

/**
 * A new secret and its version 1, audited with its name, environment and version
 * (never the value). The name's uniqueness among live secrets of the environment
 * is the partial unique index's: ON CONFLICT decides, so two creators racing for
 * one name get one secret and one clear refusal.
 */
export async function createSecret(
  tx: Tx,
  options: { workspaceId: string; input: CreateSecretInput; actor: AuditActor & { type: "user" }; context: RequestContext },
): Promise<{ secretId: string; name: string }> {
  const { workspaceId, input, actor, context } = options;
  const environment = await findEnvironment(tx, workspaceId, input.environmentId);
  const expiresAt = expiresAtFromDay(input.expiresOn);
  const inserted = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO secrets (workspace_id, environment_id, name, description, rotation_interval_days, expires_at, created_by_id, updated_by_id)
    VALUES (${workspaceId}::uuid, ${environment.id}::uuid, ${input.name}, ${input.description}, ${input.rotationIntervalDays ?? null}::int,
            ${expiresAt}::timestamptz, ${actor.id}::uuid, ${actor.id}::uuid)
    ON CONFLICT (workspace_id, environment_id, name) WHERE deleted_at IS NULL DO NOTHING
    RETURNING id::text AS id`;
  if (inserted.length === 0) {
    const message = `A secret named ${input.name} already exists in ${environment.name}.`;
    throw new AppError("conflict", message, { name: [message] });
  }
  const secretId = inserted[0].id;
  await writeSecretVersion(tx, { workspaceId, secretId, version: 1, value: input.value, createdById: actor.id });
  await recordAuditEvent(tx, {
    workspaceId,
    actor,
    action: "secret.created",
    context,
    target: { type: "secret", id: secretId },
    metadata: { name: input.name, environment: environment.name, version: 1, rotation_interval_days: input.rotationIntervalDays ?? null, expires_at: expiresAt },
  });
  return { secretId, name: input.name };
}
