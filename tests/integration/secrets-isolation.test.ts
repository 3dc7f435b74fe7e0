import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { appClient, ownerClient } from "../support/owner-db";
import { seedSecrets } from "../support/seed-secrets";
import { keyProviderFrom } from "../../lib/crypto/key-provider";

// Row-Level Security of the secrets tables, as the application role: another
// workspace's environments, data keys, secrets and versions are invisible and
// unwritable, nothing is visible without a context, and the few writes the app
// never makes (deleting a live secret or a version, rewriting a wrapped key,
// touching key_history) are refused whatever the context.

const TABLES = ["environments", "workspace_data_keys", "secrets", "secret_versions", "secret_access_windows"] as const;
const provider = keyProviderFrom(Buffer.alloc(32, 41).toString("base64"));
let owner: pg.Client;
let app: pg.Client;
let a: Awaited<ReturnType<typeof seedSecrets>>;
let b: Awaited<ReturnType<typeof seedSecrets>>;

async function inWorkspace<T>(workspaceId: string | null, work: () => Promise<T>): Promise<T> {
  await app.query("BEGIN");
  try {
    if (workspaceId) await app.query("SELECT set_config('app.workspace_id', $1, true)", [workspaceId]);
    return await work();
  } finally {
    await app.query("ROLLBACK");
  }
}

const environmentOf = async (workspaceId: string) => (await owner.query<{ id: string }>(`SELECT id FROM environments WHERE workspace_id = $1 AND name = 'production'`, [workspaceId])).rows[0].id;

/** A resolve key of the workspace and its access window for the workspace's first secret, written as the owner in the workspace's context. */
async function seedAccessWindow(seeded: Awaited<ReturnType<typeof seedSecrets>>) {
  await owner.query("BEGIN");
  try {
    await owner.query("SELECT set_config('app.workspace_id', $1, true)", [seeded.workspaceId]);
    const key = await owner.query<{ id: string }>(
      `INSERT INTO api_keys (workspace_id, name, prefix, key_hash, scopes) VALUES ($1, 'runtime', 'wdn_live_x', $2, '{secrets:resolve}') RETURNING id::text`,
      [seeded.workspaceId, randomUUID()],
    );
    await owner.query(`INSERT INTO secret_access_windows (workspace_id, api_key_id, secret_id, version, environment, count) VALUES ($1, $2, $3, 1, 'production', 3)`, [
      seeded.workspaceId,
      key.rows[0].id,
      seeded.secrets[0].secretId,
    ]);
    await owner.query("COMMIT");
    return key.rows[0].id;
  } catch (error) {
    await owner.query("ROLLBACK");
    throw error;
  }
}
let keyB: string;

beforeAll(async () => {
  owner = await ownerClient();
  app = await appClient();
  a = await seedSecrets(owner, provider, { OPENAI_API_KEY: "a-value" });
  b = await seedSecrets(owner, provider, { OPENAI_API_KEY: "b-value" });
  await seedAccessWindow(a);
  keyB = await seedAccessWindow(b);
});

afterAll(async () => {
  await app.end();
  await owner.end();
});

describe("secrets tables under row-level security, as the application role", () => {
  it("in workspace A's context, a query with no WHERE sees A's rows only", async () => {
    await inWorkspace(a.workspaceId, async () => {
      for (const table of TABLES) {
        const { rows } = await app.query(`SELECT DISTINCT workspace_id FROM ${table}`);
        expect(rows, table).toEqual([{ workspace_id: a.workspaceId }]);
      }
      const byId = await app.query(`SELECT count(*)::int AS n FROM secret_versions WHERE secret_id = $1`, [b.secrets[0].secretId]);
      expect(byId.rows[0].n).toBe(0);
    });
  });

  it("with no context nothing is visible", async () => {
    await inWorkspace(null, async () => {
      for (const table of TABLES) {
        expect((await app.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n, table).toBe(0);
      }
    });
  });

  it("in A's context, no row can be inserted with B's workspace_id", async () => {
    const envB = await environmentOf(b.workspaceId);
    const inserts: [string, unknown[]][] = [
      [`INSERT INTO environments (workspace_id, name) VALUES ($1, 'sneaky')`, [b.workspaceId]],
      [`INSERT INTO workspace_data_keys (workspace_id, wrapped_key, kek_fingerprint) VALUES ($1, 'x', 'y')`, [b.workspaceId]],
      [`INSERT INTO secrets (workspace_id, environment_id, name) VALUES ($1, $2, 'SNEAKY')`, [b.workspaceId, envB]],
      [`INSERT INTO secret_versions (workspace_id, secret_id, version, ciphertext, data_key_id) VALUES ($1, $2, 2, 's1.x.y.z', $3)`, [b.workspaceId, b.secrets[0].secretId, b.dataKeyId]],
      [`INSERT INTO secret_access_windows (workspace_id, api_key_id, secret_id, version, environment) VALUES ($1, $2, $3, 2, 'production')`, [b.workspaceId, keyB, b.secrets[0].secretId]],
    ];
    for (const [sql, params] of inserts) {
      await inWorkspace(a.workspaceId, async () => {
        await expect(app.query(sql, params), sql).rejects.toThrow(/row-level security/);
      });
    }
  });

  it("with no context, no row can be inserted at all", async () => {
    await inWorkspace(null, async () => {
      await expect(app.query(`INSERT INTO environments (workspace_id, name) VALUES ($1, 'sneaky')`, [a.workspaceId])).rejects.toThrow(/row-level security/);
    });
    await inWorkspace(null, async () => {
      await expect(app.query(`INSERT INTO secrets (workspace_id, environment_id, name) VALUES ($1, $2, 'SNEAKY')`, [a.workspaceId, await environmentOf(a.workspaceId)])).rejects.toThrow(
        /row-level security/,
      );
    });
  });

  it("in A's context, B's rows cannot be updated and A's cannot be moved to B", async () => {
    await inWorkspace(a.workspaceId, async () => {
      expect((await app.query(`UPDATE environments SET name = 'renamed' WHERE workspace_id = $1`, [b.workspaceId])).rowCount).toBe(0);
      expect((await app.query(`UPDATE secrets SET description = 'x' WHERE workspace_id = $1`, [b.workspaceId])).rowCount).toBe(0);
      expect((await app.query(`UPDATE workspace_data_keys SET retired_at = now() WHERE workspace_id = $1`, [b.workspaceId])).rowCount).toBe(0);
      expect((await app.query(`UPDATE secret_versions SET ciphertext = NULL, destroyed_at = now() WHERE workspace_id = $1`, [b.workspaceId])).rowCount).toBe(0);
      expect((await app.query(`UPDATE secret_access_windows SET count = count + 1 WHERE workspace_id = $1`, [b.workspaceId])).rowCount).toBe(0);
    });
    for (const sql of [`UPDATE environments SET workspace_id = $1`, `UPDATE secrets SET workspace_id = $1`, `UPDATE secret_access_windows SET workspace_id = $1`]) {
      await inWorkspace(a.workspaceId, async () => {
        await expect(app.query(sql, [b.workspaceId]), sql).rejects.toThrow(/row-level security/);
      });
    }
    // The app may not move a data key or a version at all (column grants).
    for (const sql of [`UPDATE workspace_data_keys SET workspace_id = $1`, `UPDATE secret_versions SET workspace_id = $1`]) {
      await inWorkspace(a.workspaceId, async () => {
        await expect(app.query(sql, [b.workspaceId]), sql).rejects.toThrow(/permission denied/);
      });
    }
    const untouched = await owner.query(`SELECT description FROM secrets WHERE workspace_id = $1`, [b.workspaceId]);
    expect(untouched.rows).toEqual([{ description: "" }]);
  });

  it("a live secret cannot be deleted, nor one deleted less than 30 days ago; only the purge of older ones in its own workspace", async () => {
    const [live] = a.secrets;
    const extra = await seedSecrets(owner, provider, { RECENT: "recent-value", OLD: "old-value" });
    const [recent, old] = extra.secrets;
    await owner.query(`UPDATE secrets SET deleted_at = now() - interval '1 day' WHERE id = $1`, [recent.secretId]);
    await owner.query(`UPDATE secrets SET deleted_at = now() - interval '31 days' WHERE id = $1`, [old.secretId]);
    await owner.query(`UPDATE secrets SET deleted_at = now() - interval '31 days' WHERE id = $1`, [b.secrets[0].secretId]);
    try {
      await inWorkspace(a.workspaceId, async () => {
        expect((await app.query(`DELETE FROM secrets WHERE id = $1`, [live.secretId])).rowCount).toBe(0);
        expect((await app.query(`DELETE FROM secrets`)).rowCount).toBe(0);
      });
      await inWorkspace(extra.workspaceId, async () => {
        expect((await app.query(`DELETE FROM secrets WHERE id = $1`, [recent.secretId])).rowCount).toBe(0);
        // Another workspace's purgeable secret is out of reach too.
        expect((await app.query(`DELETE FROM secrets WHERE id = $1`, [b.secrets[0].secretId])).rowCount).toBe(0);
        const purged = await app.query(`DELETE FROM secrets RETURNING id`);
        expect(purged.rows).toEqual([{ id: old.secretId }]);
      });
    } finally {
      await owner.query(`UPDATE secrets SET deleted_at = NULL WHERE id = $1`, [b.secrets[0].secretId]);
    }
  });

  it("cannot DELETE or TRUNCATE secret versions, data keys, environments or access windows, nor rewrite a wrapped key", async () => {
    for (const sql of [
      "DELETE FROM secret_versions",
      "TRUNCATE secret_versions",
      "DELETE FROM workspace_data_keys",
      "DELETE FROM environments",
      "TRUNCATE secrets",
      "DELETE FROM secret_access_windows",
      "UPDATE workspace_data_keys SET wrapped_key = 'x'",
      "UPDATE workspace_data_keys SET kek_fingerprint = 'x'",
    ]) {
      await inWorkspace(a.workspaceId, async () => {
        await expect(app.query(sql), sql).rejects.toThrow(/permission denied/);
      });
    }
  });

  it("cannot read or write key_history at all, in any context", async () => {
    for (const workspaceId of [null, a.workspaceId]) {
      for (const sql of [
        "SELECT * FROM key_history",
        `INSERT INTO key_history (fingerprint, provider) VALUES ('${randomUUID().slice(0, 8)}', 'environment')`,
        "UPDATE key_history SET retired_at = now()",
        "DELETE FROM key_history",
        "TRUNCATE key_history",
      ]) {
        await inWorkspace(workspaceId, async () => {
          await expect(app.query(sql), sql).rejects.toThrow(/permission denied/);
        });
      }
    }
  });
});
