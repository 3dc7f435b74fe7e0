import { randomBytes, randomUUID } from "node:crypto";
import type pg from "pg";
import type { KeyProvider } from "../../lib/crypto/key-provider";
import { dataKeyContext } from "../../lib/secrets/data-key-context";
import { openValue, sealValue } from "../../lib/secrets/secret-cipher";

/**
 * A workspace with secrets as the app writes them, straight in SQL as `client`: a data
 * key wrapped by `provider` with the app's context, and each value sealed with it.
 * Runs in the workspace's context, so a non-superuser owner (held to RLS) can too.
 */
export async function seedSecrets(client: pg.Client, provider: KeyProvider, values: Record<string, string>) {
  const workspaceId = randomUUID();
  const dataKeyId = randomUUID();
  const dataKey = randomBytes(32);
  const secrets: { secretId: string; name: string; value: string }[] = [];
  await client.query("BEGIN");
  try {
    await client.query("SELECT set_config('app.workspace_id', $1, true)", [workspaceId]);
    const slug = `rot-${workspaceId.slice(0, 8)}`;
    await client.query(`INSERT INTO workspaces (id, name, slug) VALUES ($1, $2, $2)`, [workspaceId, slug]);
    const wrapped = await provider.wrap(dataKey, dataKeyContext(workspaceId, dataKeyId));
    await client.query(`INSERT INTO workspace_data_keys (id, workspace_id, wrapped_key, kek_fingerprint, encryptions) VALUES ($1, $2, $3, $4, $5)`, [
      dataKeyId,
      workspaceId,
      wrapped,
      provider.fingerprint,
      Object.keys(values).length,
    ]);
    const env = (await client.query(`SELECT id FROM environments WHERE workspace_id = $1 AND name = 'production'`, [workspaceId])).rows[0].id;
    for (const [name, value] of Object.entries(values)) {
      const secretId = randomUUID();
      await client.query(`INSERT INTO secrets (id, workspace_id, environment_id, name) VALUES ($1, $2, $3, $4)`, [secretId, workspaceId, env, name]);
      const ciphertext = sealValue(value, dataKey, { workspaceId, secretId, version: 1 });
      await client.query(`INSERT INTO secret_versions (workspace_id, secret_id, version, ciphertext, data_key_id) VALUES ($1, $2, 1, $3, $4)`, [workspaceId, secretId, ciphertext, dataKeyId]);
      secrets.push({ secretId, name, value });
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  }
  return { workspaceId, dataKeyId, secrets };
}

/** Each value of a seeded workspace, opened with a data key unwrapped by `provider` alone (in the workspace's context, for a non-superuser too). */
export async function readSeeded(client: pg.Client, provider: KeyProvider, seeded: Awaited<ReturnType<typeof seedSecrets>>) {
  const { workspaceId, dataKeyId } = seeded;
  const out: Record<string, string> = {};
  await client.query("BEGIN");
  try {
    await client.query("SELECT set_config('app.workspace_id', $1, true)", [workspaceId]);
    const wrapped = (await client.query(`SELECT wrapped_key FROM workspace_data_keys WHERE id = $1`, [dataKeyId])).rows[0].wrapped_key;
    const key = await provider.unwrap(wrapped, dataKeyContext(workspaceId, dataKeyId));
    for (const s of seeded.secrets) {
      const { ciphertext } = (await client.query(`SELECT ciphertext FROM secret_versions WHERE secret_id = $1 AND version = 1`, [s.secretId])).rows[0];
      out[s.name] = openValue(ciphertext, key, { workspaceId, secretId: s.secretId, version: 1 });
    }
  } finally {
    await client.query("ROLLBACK");
  }
  return out;
}
