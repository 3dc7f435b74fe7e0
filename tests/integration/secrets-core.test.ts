import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { context, ownerClient, seedWorkspace, type SeededWorkspace } from "../support/owner-db";
import { withWorkspace } from "../../lib/db/with-workspace";
import { createSecret } from "../../lib/secrets/create-secret";
import { updateSecret } from "../../lib/secrets/update-secret";
import { readSecretVersion } from "../../lib/secrets/secret-versions";
import { DATA_KEY_ENCRYPTION_LIMIT, dataKeyForSealing, forgetDataKeys } from "../../lib/secrets/data-keys";
import { DecryptionError } from "../../lib/crypto/envelope";
import { isAppError } from "../../lib/errors";

let owner: pg.Client;
beforeAll(async () => {
  owner = await ownerClient();
});
afterAll(() => owner.end());

const actor = (ws: SeededWorkspace) => ({ type: "user" as const, id: ws.ownerId, label: ws.ownerEmail });
const environmentId = async (ws: SeededWorkspace, name = "production") =>
  (await owner.query<{ id: string }>(`SELECT id FROM environments WHERE workspace_id = $1 AND name = $2`, [ws.workspaceId, name])).rows[0].id;

async function create(ws: SeededWorkspace, name: string, value: string, env = "production") {
  const input = { environmentId: await environmentId(ws, env), name, value, description: "", rotationIntervalDays: undefined, expiresOn: undefined };
  return withWorkspace(ws.workspaceId, (tx) => createSecret(tx, { workspaceId: ws.workspaceId, input, actor: actor(ws), context: context() }));
}

const read = (ws: SeededWorkspace, secretId: string, version: number) => withWorkspace(ws.workspaceId, (tx) => readSecretVersion(tx, { workspaceId: ws.workspaceId, secretId, version }));

const update = (ws: SeededWorkspace, secretId: string, revision: number, value?: string) =>
  withWorkspace(ws.workspaceId, (tx) =>
    updateSecret(tx, {
      workspaceId: ws.workspaceId,
      input: { secretId, revision, value, description: "", rotationIntervalDays: undefined, expiresOn: undefined },
      actor: actor(ws),
      context: context(),
    }),
  );

describe("secrets at rest", () => {
  it("every workspace starts with production, staging and development", async () => {
    const ws = await seedWorkspace(owner, "envs");
    const { rows } = await owner.query(`SELECT name FROM environments WHERE workspace_id = $1 ORDER BY name`, [ws.workspaceId]);
    expect(rows.map((r) => r.name)).toEqual(["development", "production", "staging"]);
  });

  it("stores no plaintext: the value is in no column of any secrets table, and each version opens only as itself", async () => {
    const ws = await seedWorkspace(owner, "seal");
    const marker = `marker-${Date.now()}-value`;
    const { secretId } = await create(ws, "OPENAI_API_KEY", marker);
    const dump = await owner.query(
      `SELECT (SELECT string_agg(s::text, '') FROM secrets s WHERE workspace_id = $1) || (SELECT string_agg(v::text, '') FROM secret_versions v WHERE workspace_id = $1)
           || (SELECT string_agg(k::text, '') FROM workspace_data_keys k WHERE workspace_id = $1) || (SELECT string_agg(a::text, '') FROM audit_events a WHERE workspace_id = $1) AS all`,
      [ws.workspaceId],
    );
    expect(dump.rows[0].all).toContain("OPENAI_API_KEY");
    expect(dump.rows[0].all).not.toContain(marker);
    expect(await read(ws, secretId, 1)).toBe(marker);
  });

  it("a ciphertext copied into another secret, version or workspace fails to open (AAD binding)", async () => {
    const a = await seedWorkspace(owner, "aad-a");
    const b = await seedWorkspace(owner, "aad-b");
    const one = await create(a, "ONE", "value-one");
    const two = await create(a, "TWO", "value-two");
    const other = await create(b, "ONE", "value-b");
    await update(a, two.secretId, 1, "value-two-v2");

    // The owner moves v1 of ONE into TWO's v1 (same data key, same workspace): refused.
    await owner.query(`ALTER TABLE secret_versions DISABLE TRIGGER secret_versions_immutable`);
    try {
      const sealed = (await owner.query(`SELECT ciphertext FROM secret_versions WHERE secret_id = $1 AND version = 1`, [one.secretId])).rows[0].ciphertext;
      await owner.query(`UPDATE secret_versions SET ciphertext = $1 WHERE secret_id = $2 AND version = 1`, [sealed, two.secretId]);
      await expect(read(a, two.secretId, 1)).rejects.toBeInstanceOf(DecryptionError);
      // TWO's v1 ciphertext moved to its v2: the version is bound too.
      await owner.query(`UPDATE secret_versions SET ciphertext = $1 WHERE secret_id = $2 AND version = 2`, [sealed, two.secretId]);
      await expect(read(a, two.secretId, 2)).rejects.toBeInstanceOf(DecryptionError);
      // Another tenant's row and data key: the copy names a data key of another workspace, which the foreign key refuses...
      const foreign = (await owner.query(`SELECT ciphertext, data_key_id FROM secret_versions WHERE secret_id = $1`, [other.secretId])).rows[0];
      await expect(owner.query(`UPDATE secret_versions SET data_key_id = $1 WHERE secret_id = $2 AND version = 1`, [foreign.data_key_id, one.secretId])).rejects.toThrow(/foreign key/);
      // ...and the ciphertext alone, under this workspace's own key, does not open.
      await owner.query(`UPDATE secret_versions SET ciphertext = $1 WHERE secret_id = $2 AND version = 1`, [foreign.ciphertext, one.secretId]);
      await expect(read(a, one.secretId, 1)).rejects.toBeInstanceOf(DecryptionError);
      // A wrapped data key copied to another workspace's row does not unwrap there either.
      forgetDataKeys();
      const wrappedA = (await owner.query(`SELECT wrapped_key FROM workspace_data_keys WHERE workspace_id = $1`, [a.workspaceId])).rows[0].wrapped_key;
      await owner.query(`UPDATE workspace_data_keys SET wrapped_key = $1 WHERE workspace_id = $2`, [wrappedA, b.workspaceId]);
      await expect(read(b, other.secretId, 1)).rejects.toBeInstanceOf(DecryptionError);
    } finally {
      await owner.query(`ALTER TABLE secret_versions ENABLE TRIGGER secret_versions_immutable`);
      forgetDataKeys();
    }
  });

  it("a version is immutable: only destroying it is allowed", async () => {
    const ws = await seedWorkspace(owner, "immutable");
    const { secretId } = await create(ws, "IMMUTABLE", "v1");
    await expect(owner.query(`UPDATE secret_versions SET ciphertext = 's1.x.y.z' WHERE secret_id = $1`, [secretId])).rejects.toThrow(/immutable/);
    await expect(owner.query(`UPDATE secret_versions SET version = 9 WHERE secret_id = $1`, [secretId])).rejects.toThrow(/immutable/);
    await owner.query(`UPDATE secret_versions SET ciphertext = NULL, destroyed_at = now() WHERE secret_id = $1`, [secretId]);
    await expect(owner.query(`UPDATE secret_versions SET destroyed_at = now() - interval '1 day' WHERE secret_id = $1`, [secretId])).rejects.toThrow(/immutable/);
  });

  it("two edits from the same revision: one writes version 2, the other is refused as stale and writes nothing", async () => {
    const ws = await seedWorkspace(owner, "stale");
    const { secretId } = await create(ws, "RACE", "v1");
    const results = await Promise.allSettled([update(ws, secretId, 1, "from-a"), update(ws, secretId, 1, "from-b")]);
    const ok = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(isAppError(refused[0].reason) && refused[0].reason.code).toBe("conflict");
    expect(String(refused[0].reason.message)).toMatch(/after you opened it/);
    const versions = await owner.query(`SELECT version FROM secret_versions WHERE secret_id = $1 ORDER BY version`, [secretId]);
    expect(versions.rows.map((r) => r.version)).toEqual([1, 2]);
    const audit = await owner.query(`SELECT count(*)::int AS n FROM audit_events WHERE target_id = $1 AND action = 'secret.updated'`, [secretId]);
    expect(audit.rows[0].n).toBe(1);
  });

  it("two creators racing for one name get one secret and one conflict", async () => {
    const ws = await seedWorkspace(owner, "dup");
    const results = await Promise.allSettled([create(ws, "SAME", "a"), create(ws, "SAME", "b")]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r): r is PromiseRejectedResult => r.status === "rejected")!;
    expect(isAppError(refused.reason) && refused.reason.code).toBe("conflict");
    // The same name in another environment is another secret.
    await create(ws, "SAME", "c", "staging");
  });

  it("a spent data key is retired and a new one takes over; both still open what they sealed", async () => {
    const ws = await seedWorkspace(owner, "rollover");
    const first = await create(ws, "FIRST", "sealed-under-key-1");
    await owner.query(`UPDATE workspace_data_keys SET encryptions = $1 WHERE workspace_id = $2`, [DATA_KEY_ENCRYPTION_LIMIT - 1, ws.workspaceId]);
    const ids = await Promise.all(Array.from({ length: 6 }, () => withWorkspace(ws.workspaceId, (tx) => dataKeyForSealing(tx, ws.workspaceId)).then((k) => k.id)));
    const keys = await owner.query(`SELECT id, encryptions, retired_at FROM workspace_data_keys WHERE workspace_id = $1 ORDER BY created_at`, [ws.workspaceId]);
    expect(keys.rows).toHaveLength(2);
    expect(keys.rows[0].retired_at).not.toBeNull();
    expect(Number(keys.rows[0].encryptions)).toBe(DATA_KEY_ENCRYPTION_LIMIT);
    expect(Number(keys.rows[1].encryptions)).toBe(5);
    expect(new Set(ids)).toEqual(new Set([keys.rows[0].id, keys.rows[1].id]));
    const second = await create(ws, "SECOND", "sealed-under-key-2");
    expect(await read(ws, first.secretId, 1)).toBe("sealed-under-key-1");
    expect(await read(ws, second.secretId, 1)).toBe("sealed-under-key-2");
  });
});

describe("a workspace with secrets", () => {
  // Deleting a workspace cascades to its data keys and (through its secrets) to the
  // versions that name them, in whatever order PostgreSQL runs the cascades: the
  // versions' reference to their data key is checked at commit, so either order holds.
  it("its data keys and secrets can go in one transaction in either order; other workspaces keep theirs", async () => {
    const gone = await seedWorkspace(owner, "gone");
    const kept = await seedWorkspace(owner, "kept");
    await create(gone, "GOES", "v1");
    const survivor = await create(kept, "STAYS", "still-here");
    await owner.query("BEGIN");
    try {
      await owner.query(`DELETE FROM workspace_data_keys WHERE workspace_id = $1`, [gone.workspaceId]);
      await owner.query(`DELETE FROM secrets WHERE workspace_id = $1`, [gone.workspaceId]);
      await owner.query("COMMIT");
    } catch (error) {
      await owner.query("ROLLBACK");
      throw error;
    }
    for (const table of ["secrets", "secret_versions", "workspace_data_keys"]) {
      const { rows } = await owner.query(`SELECT count(*)::int AS n FROM ${table} WHERE workspace_id = $1`, [gone.workspaceId]);
      expect(rows[0].n, table).toBe(0);
    }
    expect(await read(kept, survivor.secretId, 1)).toBe("still-here");
  });

  it("a data key still named by a version cannot be removed", async () => {
    const ws = await seedWorkspace(owner, "keep-key");
    await create(ws, "NEEDS_KEY", "v1");
    await expect(owner.query(`DELETE FROM workspace_data_keys WHERE workspace_id = $1`, [ws.workspaceId])).rejects.toThrow(/foreign key/);
  });
});
