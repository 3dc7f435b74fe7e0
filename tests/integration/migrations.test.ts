import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";
import { connect } from "../support/owner-db";
import { ensureDatabase } from "../../lib/db/prepare-database";
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
      checksum: createHash("sha256").update(readFileSync(join(MIGRATIONS_DIR, m.name, "migration.sql"))).digest("hex"),
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

describe("the audit chain migration", () => {
  it("chains the events an earlier version wrote, per workspace in time order, so they verify", async () => {
    const url = await freshDatabase();
    const dir = mkdtempSync(join(tmpdir(), "warden-migrations-"));
    const chain = "20261122040000_audit_chain_api_keys";
    for (const m of readMigrations()) if (m.name < chain) cpSync(join(MIGRATIONS_DIR, m.name), join(dir, m.name), { recursive: true });
    await runMigrations(url, dir);
    const client = await connect(url);
    const ws = await client.query<{ id: string }>(`INSERT INTO workspaces (name, slug) VALUES ('Old', 'old'), ('Older', 'older') RETURNING id`);
    for (const [i, { id }] of ws.rows.entries()) {
      for (const at of ["2026-01-03T00:00:00Z", "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z"]) {
        await client.query(`INSERT INTO audit_events (workspace_id, actor_type, action, occurred_at, metadata) VALUES ($1, 'system', 'workspace.created', $2, $3)`, [id, at, JSON.stringify({ i, at })]);
      }
    }
    await runMigrations(url);
    const { computeEventHash, GENESIS_HASH } = await import("../../lib/audit/audit-chain");
    for (const { id } of ws.rows) {
      const { rows } = await client.query(
        `SELECT seq, prev_hash, hash, id::text, workspace_id::text, occurred_at, actor_type, actor_id::text, actor_label, action,
                target_type, target_id, ip, user_agent, request_id, metadata::text AS metadata_text
           FROM audit_events WHERE workspace_id = $1 ORDER BY seq`,
        [id],
      );
      expect(rows.map((r) => [Number(r.seq), r.occurred_at.toISOString()])).toEqual([
        [1, "2026-01-01T00:00:00.000Z"], [2, "2026-01-02T00:00:00.000Z"], [3, "2026-01-03T00:00:00.000Z"],
      ]);
      let previous = GENESIS_HASH;
      for (const r of rows) {
        expect(r.prev_hash).toBe(previous);
        expect(computeEventHash({
          seq: BigInt(r.seq), prevHash: r.prev_hash, id: r.id, workspaceId: r.workspace_id, occurredAt: r.occurred_at, actorType: r.actor_type,
          actorId: r.actor_id, actorLabel: r.actor_label, action: r.action, targetType: r.target_type, targetId: r.target_id, ip: r.ip,
          userAgent: r.user_agent, requestId: r.request_id, metadataText: r.metadata_text,
        })).toBe(r.hash);
        previous = r.hash;
      }
    }
    // New events continue each chain.
    await client.query(`INSERT INTO audit_events (workspace_id, actor_type, action) VALUES ($1, 'system', 'workspace.created')`, [ws.rows[0].id]);
    const next = await client.query(`SELECT seq FROM audit_events WHERE workspace_id = $1 ORDER BY seq DESC LIMIT 1`, [ws.rows[0].id]);
    expect(Number(next.rows[0].seq)).toBe(4);
    await client.end();
  });
});
