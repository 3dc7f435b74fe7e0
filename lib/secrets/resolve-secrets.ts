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
 * unknown). Each access is counted in this transaction, in its key's 60-second
 * window for that secret version (secret_access_windows), and the request that
 * opens a window audits it as secret.accessed, with the final count of the window
 * it closes: identical accesses are collapsed into one event and a count, never
 * dropped. If the count or the audit write fails, nothing is returned.
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
  const opened = await countAccesses(tx, { workspaceId, keyId: key.id, environment: input.environment, secrets: accessed });
  // Only a window opened by this request is audited; inside an open window the
  // count above is the whole write, and the audit chain's lock is not taken.
  // Last: the audit writer holds the workspace's chain lock until commit.
  await recordAuditEvents(
    tx,
    opened.map((window) => ({
      workspaceId,
      actor,
      action: "secret.accessed" as const,
      context,
      target: { type: "secret", id: window.secret.id },
      metadata: { name: window.secret.name, environment: input.environment, version: window.secret.version, previous_window_count: window.previousCount },
    })),
  );
  return Object.fromEntries(input.names.map((name) => [name, resolved.get(name)!.value]));
}

type Window = { secret_id: string; opened: boolean; previous_count: number | null };

/**
 * One statement for every name: counts this access in the current window of
 * (key, secret, version), or, when that window opened 60 seconds ago or more,
 * opens a new one (count 1), keeping the closed window's final count to report.
 * The upsert takes each window's row lock (in secret id order, so two resolvers
 * never deadlock) and re-reads it under the lock, so concurrent requests are all
 * counted and exactly one of them opens a window. In the same statement, the
 * secrets' last resolution is written at most once a minute per secret and key:
 * SKIP LOCKED leaves a row another resolver or an editor holds alone (the time
 * is approximate by design).
 */
async function countAccesses(tx: Tx, options: { workspaceId: string; keyId: string; environment: string; secrets: Found[] }): Promise<{ secret: Found; previousCount: number | null }[]> {
  const { workspaceId, keyId, environment, secrets } = options;
  const rows = await tx.$queryRaw<Window[]>`
    WITH due AS (
      SELECT id FROM secrets
       WHERE workspace_id = ${workspaceId}::uuid AND id = ANY(${secrets.map((s) => s.id)}::uuid[])
         AND (last_resolved_at IS NULL OR last_resolved_at < now() - interval '60 seconds' OR last_resolved_by_key_id IS DISTINCT FROM ${keyId}::uuid)
       ORDER BY id
         FOR UPDATE SKIP LOCKED),
    touched AS (
      UPDATE secrets s SET last_resolved_at = now(), last_resolved_by_key_id = ${keyId}::uuid
        FROM due WHERE s.id = due.id AND s.workspace_id = ${workspaceId}::uuid)
    INSERT INTO secret_access_windows AS w (workspace_id, api_key_id, secret_id, version, environment, opened_at, count)
    SELECT ${workspaceId}::uuid, ${keyId}::uuid, a.secret_id, a.version, ${environment}, now()::timestamptz(3), 1
      FROM unnest(${secrets.map((s) => s.id)}::uuid[], ${secrets.map((s) => s.version)}::int[]) AS a(secret_id, version)
     ORDER BY a.secret_id
    ON CONFLICT (workspace_id, api_key_id, secret_id, version) DO UPDATE SET
      count = CASE WHEN w.opened_at > now() - interval '60 seconds' THEN w.count + 1 ELSE 1 END,
      previous_count = CASE WHEN w.opened_at > now() - interval '60 seconds' THEN w.previous_count ELSE w.count END,
      sealed_at = CASE WHEN w.opened_at > now() - interval '60 seconds' THEN w.sealed_at END,
      environment = EXCLUDED.environment,
      opened_at = CASE WHEN w.opened_at > now() - interval '60 seconds' THEN w.opened_at ELSE now()::timestamptz(3) END
    RETURNING w.secret_id::text AS secret_id, (w.count = 1 AND w.opened_at = now()::timestamptz(3)) AS opened, w.previous_count`;
  // In the request's order of names, as the events were before windows.
  const opened = new Map(rows.filter((row) => row.opened).map((row) => [row.secret_id, row.previous_count]));
  return secrets.filter((secret) => opened.has(secret.id)).map((secret) => ({ secret, previousCount: opened.get(secret.id) ?? null }));
}
