import "server-only";
import type { Tx } from "../db/with-workspace";
import { AppError } from "../errors";
import { recordAuditEvent, type AuditActor } from "../audit/record-audit-event";
import type { RequestContext } from "../http/request-context";
import { lockSecret } from "./lock-secret";
import { expiresAtFromDay } from "./secret-status";
import { writeSecretVersion } from "./secret-versions";
import type { UpdateSecretInput } from "./schemas";

/**
 * Changes a secret's details and, when a value is given, writes it as a new
 * version. The form carries the revision its author saw; under the row lock a
 * different revision means someone else changed the secret meanwhile, and nothing
 * is written.
 */
export async function updateSecret(
  tx: Tx,
  options: { workspaceId: string; input: UpdateSecretInput; actor: AuditActor & { type: "user" }; context: RequestContext },
): Promise<{ version: number; revision: number }> {
  const { workspaceId, input, actor, context } = options;
  const secret = await lockSecret(tx, workspaceId, input.secretId);
  if (secret.revision !== input.revision) {
    const by = secret.updated_by ? ` by ${secret.updated_by}` : "";
    throw new AppError(
      "conflict",
      `${secret.name} was changed${by} at ${secret.updated_at.toISOString().slice(0, 16).replace("T", " ")} UTC after you opened it. Nothing was saved: reload to see the current version, then make your change again.`,
      undefined,
      "stale_revision",
    );
  }
  const expiresAt = expiresAtFromDay(input.expiresOn);
  const before = { description: secret.description, rotation_interval_days: secret.rotation_interval_days, expires_at: secret.expires_at?.toISOString() ?? null };
  const after = { description: input.description, rotation_interval_days: input.rotationIntervalDays ?? null, expires_at: expiresAt };
  const changed = (Object.keys(after) as (keyof typeof after)[]).filter((k) => before[k] !== after[k]);
  const valueChanged = input.value !== undefined;
  if (!valueChanged && changed.length === 0) return { version: secret.current_version, revision: secret.revision };

  const version = valueChanged ? secret.current_version + 1 : secret.current_version;
  if (valueChanged) await writeSecretVersion(tx, { workspaceId, secretId: secret.id, version, value: input.value!, createdById: actor.id });
  await tx.$executeRaw`
    UPDATE secrets SET description = ${input.description}, rotation_interval_days = ${after.rotation_interval_days}::int,
           expires_at = ${expiresAt}::timestamptz, current_version = ${version}, revision = revision + 1,
           value_changed_at = CASE WHEN ${valueChanged} THEN now() ELSE value_changed_at END,
           updated_by_id = ${actor.id}::uuid, updated_at = now()
     WHERE id = ${secret.id}::uuid AND workspace_id = ${workspaceId}::uuid`;
  await recordAuditEvent(tx, {
    workspaceId,
    actor,
    action: "secret.updated",
    context,
    target: { type: "secret", id: secret.id },
    metadata: {
      name: secret.name,
      environment: secret.environment,
      version,
      value_changed: valueChanged,
      before: Object.fromEntries(changed.map((k) => [k, before[k]])),
      after: Object.fromEntries(changed.map((k) => [k, after[k]])),
    },
  });
  return { version, revision: secret.revision + 1 };
}
