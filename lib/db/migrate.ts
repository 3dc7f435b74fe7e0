import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { APP_ROLE_PLACEHOLDER, appRoleNameFor, databaseNameOf } from "./app-role";

// Applies prisma/migrations/*/migration.sql in order, each in its own transaction,
// and records them in _prisma_migrations exactly as Prisma does (SHA-256 checksum
// of the file), so `prisma migrate status|deploy` agree wherever Prisma's engine runs.
// Migrations name the application role `warden_app`; each is run with that name
// mapped to this database's own app role (the checksum stays the file's).

export const MIGRATIONS_DIR = join(process.cwd(), "prisma", "migrations");

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

// Any constant will do; it only keeps two starting instances from migrating at once.
const LOCK_KEY = 72707369;

export class MigrationError extends Error {}

export type MigrationFile = { name: string; sql: string; checksum: string };

export function readMigrations(dir = MIGRATIONS_DIR): MigrationFile[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

const PLACEHOLDER = new RegExp(`'${APP_ROLE_PLACEHOLDER}'|"${APP_ROLE_PLACEHOLDER}"|\\b${APP_ROLE_PLACEHOLDER}\\b`, "g");

/** The migration's SQL with `warden_app` (identifier or string literal) replaced by the role it stands for. */
export function mapAppRole(sql: string, role: string): string {
  const identifier = `"${role.replace(/"/g, '""')}"`;
  const literal = `'${role.replace(/'/g, "''")}'`;
  return sql.replace(PLACEHOLDER, (found) => (found.startsWith("'") ? literal : identifier));
}

type RunOptions = { dir?: string; appRole?: string };

/** `appRole` defaults to the database's own `warden_app_<db>`. */
export async function runMigrations(databaseUrl: string, options: string | RunOptions = {}): Promise<string[]> {
  const { dir = MIGRATIONS_DIR, appRole = appRoleNameFor(databaseNameOf(databaseUrl)) } = typeof options === "string" ? { dir: options } : options;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const applied: string[] = [];
  try {
    await client.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
    await client.query(CREATE_TABLE);
    const { rows } = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
    );
    const recorded = new Map(rows.map((row) => [row.migration_name, row]));
    for (const migration of readMigrations(dir)) {
      const row = recorded.get(migration.name);
      if (row && !row.finished_at) {
        throw new MigrationError(`Migration ${migration.name} failed earlier and was not rolled back; resolve it before starting.`);
      }
      if (row) {
        if (row.checksum !== migration.checksum) {
          throw new MigrationError(`Migration ${migration.name} was changed after it was applied; refusing to run.`);
        }
        continue;
      }
      await client.query("BEGIN");
      try {
        await client.query(mapAppRole(migration.sql, appRole));
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count)
           VALUES ($1, $2, now(), $3, 1)`,
          [randomUUID(), migration.checksum, migration.name],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new MigrationError(`Migration ${migration.name} failed: ${(error as Error).message}`);
      }
      applied.push(migration.name);
    }
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [LOCK_KEY]).catch(() => {});
    await client.end();
  }
  return applied;
}
