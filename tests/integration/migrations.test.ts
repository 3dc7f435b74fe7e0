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
