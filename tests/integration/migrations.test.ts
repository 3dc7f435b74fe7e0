import { describe, expect, it } from "vitest";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";
import { connect } from "../support/owner-db";
import { ensureDatabase } from "../../lib/db/ensure-database";
import { prepareDatabase } from "../../lib/db/prepare-database";
import { appRoleNameFor } from "../../lib/db/app-role";
import { MIGRATIONS_DIR, readMigrations, runMigrations } from "../../lib/db/migrate";

const freshDatabase = () => ensureDatabase(inject("serverUrl"), `warden_mig_${Date.now()}_${Math.floor(Math.random() * 1e6)}`);

describe("the migration runner", () => {
  it("records each migration with Prisma's columns and a SHA-256 checksum, and applies nothing twice", async () => {
    const url = await freshDatabase();
    const first = await runMigrations(url);
    expect(first).toEqual(readMigrations().map((m) => m.name));
    expect(await runMigrations(url)).toEqual([]);
    const client = await connect(url);
    const { rows } = await client.query(`SELECT migration_name, checksum, finished_at, applied_steps_count, rolled_back_at FROM _prisma_migrations ORDER BY migration_name`);
    await client.end();
    const expected = readMigrations().map((m) => ({
      migration_name: m.name,
      checksum: createHash("sha256")
        .update(readFileSync(join(MIGRATIONS_DIR, m.name, "migration.sql")))
        .digest("hex"),
    }));
    expect(rows.map(({ migration_name, checksum }) => ({ migration_name, checksum }))).toEqual(expected);
    expect(rows.every((r) => r.finished_at && r.applied_steps_count === 1 && r.rolled_back_at === null)).toBe(true);
  });

  it("refuses to run when an applied migration's file has changed", async () => {
    const url = await freshDatabase();
    const dir = mkdtempSync(join(tmpdir(), "warden-migrations-"));
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    await runMigrations(url, dir);
    const first = readMigrations(dir)[0].name;
    appendFileSync(join(dir, first, "migration.sql"), "\n-- edited after the fact\n");
    await expect(runMigrations(url, dir)).rejects.toThrow(/changed after it was applied/);
  });

  it("applies each migration in a transaction: a failing one leaves nothing behind", async () => {
    const url = await freshDatabase();
    const dir = mkdtempSync(join(tmpdir(), "warden-migrations-"));
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    mkdirSync(join(dir, "29991231000000_broken"));
    writeFileSync(join(dir, "29991231000000_broken", "migration.sql"), "CREATE TABLE half_done (id int);\nSELECT no_such_function();\n");
    await expect(runMigrations(url, dir)).rejects.toThrow(/29991231000000_broken failed/);
    const client = await connect(url);
    const table = await client.query(`SELECT to_regclass('public.half_done') AS t`);
    const recorded = await client.query(`SELECT count(*)::int AS n FROM _prisma_migrations WHERE migration_name = '29991231000000_broken'`);
    await client.end();
    expect(table.rows[0].t).toBeNull();
    expect(recorded.rows[0].n).toBe(0);
  });
});

describe("the audit chain migrations", () => {
  it("chain an earlier version's events in time order; start-up re-keys them once, and then they verify and new events continue the chain", async () => {
    const url = await freshDatabase();
    const dir = mkdtempSync(join(tmpdir(), "warden-migrations-"));
    const chain = "20261122040000_audit_chain_api_keys";
    for (const m of readMigrations()) if (m.name < chain) cpSync(join(MIGRATIONS_DIR, m.name), join(dir, m.name), { recursive: true });
    await runMigrations(url, dir);
    const client = await connect(url);
    const ws = await client.query<{ id: string }>(`INSERT INTO workspaces (name, slug) VALUES ('Old', 'old'), ('Older', 'older'), ('Tampered', 'tampered') RETURNING id`);
    for (const [i, { id }] of ws.rows.entries()) {
      for (const at of ["2026-01-03T00:00:00Z", "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z"]) {
        await client.query(`INSERT INTO audit_events (workspace_id, actor_type, action, occurred_at, metadata) VALUES ($1, 'system', 'workspace.created', $2, $3)`, [
          id,
          at,
          JSON.stringify({ i, at }),
        ]);
      }
    }
    await runMigrations(url);
    const { computeLegacyEventHash, GENESIS_HASH } = await import("../../lib/audit/audit-chain");
    const { CHAIN_BATCH_SQL, CHAIN_COLUMNS, verifyAuditChain } = await import("../../lib/audit/verify-audit-chain");
    const { configuredAuditKeyring } = await import("../../lib/audit/audit-chain-keys");
    const { rekeyLegacyChain } = await import("../../lib/audit/rekey-legacy-chain");
    const { appendAuditEvents } = await import("../support/owner-db");
    const keyring = configuredAuditKeyring();
    const verify = (workspaceId: string) =>
      verifyAuditChain({ workspaceId, keyring, readBatch: async (after, limit) => (await client.query(CHAIN_BATCH_SQL, [workspaceId, after.toString(), limit])).rows });

    for (const { id } of ws.rows) {
      const { rows } = await client.query(`SELECT ${CHAIN_COLUMNS} FROM audit_events e WHERE workspace_id = $1 ORDER BY e.seq`, [id]);
      expect(rows.map((r) => [Number(r.seq), r.occurredAt.toISOString(), r.keyId])).toEqual([
        [1, "2026-01-01T00:00:00.000Z", null],
        [2, "2026-01-02T00:00:00.000Z", null],
        [3, "2026-01-03T00:00:00.000Z", null],
      ]);
      let previous = GENESIS_HASH;
      for (const r of rows) {
        expect(r.prevHash).toBe(previous);
        expect(computeLegacyEventHash({ ...r, seq: BigInt(r.seq) })).toBe(r.hash);
        previous = r.hash;
      }
      // Unkeyed hashes prove nothing (anyone can compute them): verification refuses them.
      expect(await verify(id)).toMatchObject({ status: "broken", seq: "1", reason: "unkeyed" });
    }

    // Someone changed an old event before the upgrade: re-keying stops there and vouches for nothing after it.
    const tampered = ws.rows[2].id;
    await client.query("BEGIN; SET LOCAL session_replication_role = replica");
    await client.query(`UPDATE audit_events SET metadata = '{"forged": true}' WHERE workspace_id = $1 AND seq = 2`, [tampered]);
    await client.query("COMMIT");

    const report = await rekeyLegacyChain({ ownerUrl: url, keyring });
    expect(report).toMatchObject({ workspaces: 3, events: 7, refused: [{ workspaceId: tampered, seq: "2" }] });
    expect(await verify(ws.rows[0].id)).toMatchObject({ status: "verified", count: 3 });
    expect(await verify(ws.rows[1].id)).toMatchObject({ status: "verified", count: 3 });
    expect(await verify(tampered)).toMatchObject({ status: "broken", count: 1, seq: "2" });
    // Once: a second start finds nothing new to do, and the append-only guard is back.
    expect(await rekeyLegacyChain({ ownerUrl: url, keyring })).toMatchObject({ events: 0 });
    await expect(client.query(`UPDATE audit_events SET actor_label = 'x' WHERE workspace_id = $1`, [ws.rows[0].id])).rejects.toThrow(/append-only/);

    // New events continue each chain, keyed.
    await appendAuditEvents(client, ws.rows[0].id, [{ actor: { type: "system", label: "test" }, action: "member.added", context: { ip: null, userAgent: null, requestId: null } }]);
    expect(await verify(ws.rows[0].id)).toMatchObject({ status: "verified", count: 4, headSeq: "4" });
    await client.end();
  });
});

describe("start-up on an earlier version's database", () => {
  it("re-keys its unkeyed audit events right after the migrations, with the master key it is given, so they verify", { timeout: 120_000 }, async () => {
    // Owned by a CREATEROLE login that is not a superuser, as on a managed server: FORCE RLS applies to it.
    const serverUrl = inject("serverUrl");
    const suffix = randomBytes(4).toString("hex");
    const ownerRole = `warden_owner_${suffix}`;
    const database = `warden_mig_${suffix}`;
    const secret = randomBytes(24).toString("base64url");
    const root = await connect(serverUrl);
    await root.query(`CREATE ROLE "${ownerRole}" LOGIN CREATEROLE PASSWORD '${secret}'`);
    await root.query(`CREATE DATABASE "${database}" OWNER "${ownerRole}"`);
    const parsed = new URL(serverUrl);
    parsed.username = ownerRole;
    parsed.password = secret;
    parsed.pathname = `/${database}`;
    const url = parsed.toString();

    const dir = mkdtempSync(join(tmpdir(), "warden-migrations-"));
    for (const m of readMigrations()) if (m.name < "20261123010000") cpSync(join(MIGRATIONS_DIR, m.name), join(dir, m.name), { recursive: true });
    await runMigrations(url, dir);
    const client = await connect(url);
    const workspaceId = randomUUID();
    await client.query("BEGIN");
    await client.query("SELECT set_config('app.workspace_id', $1, true)", [workspaceId]);
    await client.query(`INSERT INTO workspaces (id, name, slug) VALUES ($1, 'Earlier', 'earlier')`, [workspaceId]);
    for (const at of ["2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z"]) {
      await client.query(`INSERT INTO audit_events (workspace_id, actor_type, action, occurred_at, metadata) VALUES ($1, 'system', 'workspace.created', $2, '{}')`, [workspaceId, at]);
    }
    await client.query("COMMIT");
    const { auditKeyringFrom } = await import("../../lib/audit/audit-chain-keys");
    const { CHAIN_BATCH_SQL, verifyAuditChain } = await import("../../lib/audit/verify-audit-chain");
    const masterKey = Buffer.alloc(32, 3).toString("base64");
    const previous = Buffer.alloc(32, 4).toString("base64");
    const keyring = auditKeyringFrom(masterKey, [previous]);
    const asWorkspace = async <T>(read: () => Promise<T>) => {
      await client.query("BEGIN");
      await client.query("SELECT set_config('app.workspace_id', $1, true)", [workspaceId]);
      try {
        return await read();
      } finally {
        await client.query("COMMIT");
      }
    };
    const verify = () =>
      asWorkspace(() => verifyAuditChain({ workspaceId, keyring, readBatch: async (after, limit) => (await client.query(CHAIN_BATCH_SQL, [workspaceId, after.toString(), limit])).rows }));
    const dataDir = mkdtempSync(join(tmpdir(), "warden-prepare-"));
    const appPassword = () => randomBytes(24).toString("base64url");
    try {
      // Without the key nothing can be re-keyed: start-up refuses, naming what is missing, and leaves the events alone.
      await expect(prepareDatabase({ databaseUrl: url, appPassword: appPassword(), dataDir })).rejects.toThrow(/3 audit events .* re-keyed .*WARDEN_MASTER_KEY/);
      expect(await verify()).toMatchObject({ status: "broken", seq: "1", reason: "unkeyed" });

      const db = await prepareDatabase({ databaseUrl: url, appPassword: appPassword(), dataDir, masterKey, previousMasterKeys: previous });
      expect(db.rekeyed).toEqual({ workspaces: 1, events: 3, refused: [] });
      expect(await verify()).toMatchObject({ status: "verified", count: 3, headSeq: "3" });
      const keys = await asWorkspace(() => client.query(`SELECT DISTINCT key_id FROM audit_events WHERE workspace_id = $1`, [workspaceId]));
      expect(keys.rows).toEqual([{ key_id: keyring.current.id }]);
      // The next start has nothing left to do.
      expect((await prepareDatabase({ databaseUrl: url, appPassword: appPassword(), dataDir, masterKey })).rekeyed).toMatchObject({ events: 0 });
    } finally {
      await client.end();
      await root.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await root.query(`DROP ROLE IF EXISTS "${appRoleNameFor(database)}"`);
      await root.query(`DROP ROLE IF EXISTS "${ownerRole}"`);
      await root.end();
    }
  });
});
