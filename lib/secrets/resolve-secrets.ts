import "server-only";
import type { ApiKeyPrincipal } from "../api-keys/authenticate-api-key";
import { recordAuditEvents, type AuditActor } from "../audit/record-audit-event";
import type { Tx } from "../db/with-workspace";
import { AppError } from "../errors";
import type { RequestContext } from "../http/request-context";
import { dataKeyForOpening } from "./data-keys";
import type { ResolveSecretsBody } from "./resolve-schemas";
import { openValue } from "./secret-cipher";

type Found = { id: string; name: string; version: number; ciphertext: string | null; data_key_id: string };

/**
 * The runtime's read: the current value of each named live secret of one
 * environment, for an API key with secrets:resolve. All or nothing: a name that
 * is unknown, deleted, destroyed or outside the key's environment or names makes
 * the whole request a 404 naming every such name, in one message that cannot tell
 * them apart (another tenant's secret is invisible under RLS, so it is simply
 * unknown). Each value resolved is audited as secret.accessed in this
 * transaction, one event per name per request: if the audit write fails, nothing
 * is returned. (Collapsing repeats into one event with a count would mean
 * changing an appended, hash-chained event or a counter table of its own; every
 * access is written instead, so none can be lost.)
 */
export async function resolveSecrets(
  tx: Tx,
  options: {
    key: Pick<ApiKeyPrincipal, "id" | "workspaceId" | "environmentId" | "secretNames">;
    input: ResolveSecretsBody;
    actor: AuditActor & { type: "api_key" };
    context: RequestContext;
  },
): Promise<Record<string, string>> {
  const { key, input, actor, context } = options;
  const { workspaceId } = key;
  const inScope = input.names.filter((name) => key.secretNames.length === 0 || key.secretNames.includes(name));
  // One statement: the environment by name (and, for a key held to one, only that
  // one), its live secrets by name, and each one's current version.
  const found =
    inScope.length === 0
      ? []
      : await tx.$queryRaw<Found[]>`
    SELECT s.id::text AS id, s.name, s.current_version AS version, v.ciphertext, v.data_key_id::text AS data_key_id
      FROM environments e
      JOIN secrets s ON s.workspace_id = e.workspace_id AND s.environment_id = e.id AND s.deleted_at IS NULL AND s.name = ANY(${inScope}::text[])
      JOIN secret_versions v ON v.workspace_id = s.workspace_id AND v.secret_id = s.id AND v.version = s.current_version
     WHERE e.workspace_id = ${workspaceId}::uuid AND e.name = ${input.environment}
       AND (${key.environmentId}::uuid IS NULL OR e.id = ${key.environmentId}::uuid)`;

  const resolved = new Map<string, { secret: Found; value: string }>();
  for (const secret of found) {
    if (!secret.ciphertext) continue; // destroyed: its metadata stays, its value is gone
    const dataKey = await dataKeyForOpening(tx, workspaceId, secret.data_key_id);
    const value = openValue(secret.ciphertext, dataKey, { workspaceId, secretId: secret.id, version: secret.version });
    // Never a blank credential in place of a value, whatever was stored.
    if (value !== "") resolved.set(secret.name, { secret, value });
  }
  const unavailable = input.names.filter((name) => !resolved.has(name));
  if (unavailable.length > 0) {
    throw new AppError(
      "not_found",
      `Not available to this key in ${input.environment}: ${unavailable.join(", ")}. Each is unknown, deleted, destroyed, or outside the environment or names the key may resolve.`,
      undefined,
      "secret_unavailable",
    );
  }

  const accessed = input.names.map((name) => resolved.get(name)!.secret);
  await touchLastResolved(tx, workspaceId, key.id, accessed.map((secret) => secret.id));
  // Last: the audit writer takes the workspace's chain lock until commit, so the
  // less that follows it, the less concurrent resolves wait on one another.
  await recordAuditEvents(
    tx,
    accessed.map((secret) => ({
      workspaceId, actor, action: "secret.accessed" as const, context,
      target: { type: "secret", id: secret.id },
      metadata: { name: secret.name, environment: input.environment, version: secret.version },
    })),
  );
  return Object.fromEntries(input.names.map((name) => [name, resolved.get(name)!.value]));
}

/**
 * Last resolution is written at most once a minute per secret and key: the
 * condition is re-checked on each row under its lock, so concurrent resolvers
 * write it once. SKIP LOCKED: a row another resolver or an editor holds is left
 * alone rather than waited for (the time is approximate by design), and rows are
 * taken in id order, so two resolvers never deadlock.
 */
async function touchLastResolved(tx: Tx, workspaceId: string, keyId: string, secretIds: string[]) {
  await tx.$executeRaw`
    WITH due AS (
      SELECT id FROM secrets
       WHERE workspace_id = ${workspaceId}::uuid AND id = ANY(${secretIds}::uuid[])
         AND (last_resolved_at IS NULL OR last_resolved_at < now() - interval '60 seconds' OR last_resolved_by_key_id IS DISTINCT FROM ${keyId}::uuid)
       ORDER BY id
         FOR UPDATE SKIP LOCKED)
    UPDATE secrets s SET last_resolved_at = now(), last_resolved_by_key_id = ${keyId}::uuid
      FROM due WHERE s.id = due.id AND s.workspace_id = ${workspaceId}::uuid`;
}
