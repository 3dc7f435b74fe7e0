import "server-only";
import { randomBytes, randomUUID } from "node:crypto";
import type { Tx } from "../db/with-workspace";
import { configuredKeyProvider, type KeyProvider } from "../crypto/key-provider";
import { dataKeyContext } from "./data-key-context";

// Each workspace seals its values with its own random 256-bit data key, wrapped by
// the key provider. With random 96-bit nonces, AES-GCM must not seal more than 2^32
// values under one key (NIST SP 800-38D); a data key is retired after 2^24, where
// the chance of a repeated nonce is below 2^-49, and a fresh one takes over.
export const DATA_KEY_ENCRYPTION_LIMIT = 2 ** 24;

export type DataKey = { id: string; key: Buffer };

export { dataKeyContext };

// Unwrapped keys by id. The master key is in this process's memory anyway; caching
// spares a decryption per value. A retired key stays valid for what it sealed.
const unwrapped = new Map<string, Buffer>();

async function unwrap(provider: KeyProvider, row: { id: string; workspace_id: string; wrapped_key: string }): Promise<Buffer> {
  let key = unwrapped.get(row.id);
  if (!key) {
    key = await provider.unwrap(row.wrapped_key, dataKeyContext(row.workspace_id, row.id));
    unwrapped.set(row.id, key);
  }
  return key;
}

type Row = { id: string; workspace_id: string; wrapped_key: string };

/**
 * The data key to seal `count` new values with, its use counted in the same
 * statement that picks it (one conditional UPDATE: two writers can never both take
 * the last uses of a key). When the active key is spent or missing, it is retired
 * and a new one inserted; the partial unique index lets only one writer's insert
 * win, and the loser simply takes the winner's key on its next pass.
 */
export async function dataKeyForSealing(tx: Tx, workspaceId: string, count = 1, provider = configuredKeyProvider()): Promise<DataKey> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const taken = await tx.$queryRaw<Row[]>`
      UPDATE workspace_data_keys SET encryptions = encryptions + ${count}
       WHERE workspace_id = ${workspaceId}::uuid AND retired_at IS NULL AND encryptions + ${count} <= ${DATA_KEY_ENCRYPTION_LIMIT}
      RETURNING id::text AS id, workspace_id::text AS workspace_id, wrapped_key`;
    if (taken.length === 1) return { id: taken[0].id, key: await unwrap(provider, taken[0]) };

    await tx.$executeRaw`
      UPDATE workspace_data_keys SET retired_at = now()
       WHERE workspace_id = ${workspaceId}::uuid AND retired_at IS NULL AND encryptions + ${count} > ${DATA_KEY_ENCRYPTION_LIMIT}`;
    const id = randomUUID();
    const key = randomBytes(32);
    const wrapped = await provider.wrap(key, dataKeyContext(workspaceId, id));
    const inserted = await tx.$executeRaw`
      INSERT INTO workspace_data_keys (id, workspace_id, wrapped_key, kek_fingerprint, encryptions)
      VALUES (${id}::uuid, ${workspaceId}::uuid, ${wrapped}, ${provider.fingerprint}, ${count})
      ON CONFLICT (workspace_id) WHERE retired_at IS NULL DO NOTHING`;
    if (inserted === 1) {
      unwrapped.set(id, key);
      return { id, key };
    }
  }
  throw new Error("Could not obtain a data key for sealing");
}

/** The data key a stored value names, to open it. */
export async function dataKeyForOpening(tx: Tx, workspaceId: string, dataKeyId: string, provider = configuredKeyProvider()): Promise<Buffer> {
  const cached = unwrapped.get(dataKeyId);
  if (cached) return cached;
  const rows = await tx.$queryRaw<Row[]>`
    SELECT id::text AS id, workspace_id::text AS workspace_id, wrapped_key FROM workspace_data_keys
     WHERE id = ${dataKeyId}::uuid AND workspace_id = ${workspaceId}::uuid`;
  if (rows.length !== 1) throw new Error("A secret version names a data key that does not exist");
  return unwrap(provider, rows[0]);
}

/** For tests and keys:rotate: forget unwrapped keys. */
export function forgetDataKeys(): void {
  unwrapped.clear();
}
