import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmbeddedPostgres } from "../../lib/db/embedded";
import { ensureDatabase } from "../../lib/db/ensure-database";
import { runMigrations } from "../../lib/db/migrate";
import { appRoleName, ensureAppRole } from "../../lib/db/app-role";

/**
 * A fresh, migrated database for one benchmark run (TEST_DATABASE_URL's server or
 * an embedded one), with the app's modules pointed at it as the application role;
 * or, given a name, that database on TEST_DATABASE_URL's server, kept from an earlier run.
 * Import app modules only after this resolves: they read their settings once.
 */
export async function openBenchDatabase(options: { name?: string } = {}): Promise<{ ownerUrl: string; close: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), "warden-bench-"));
  const server = process.env.TEST_DATABASE_URL ? { ownerUrl: process.env.TEST_DATABASE_URL, stop: async () => {} } : await startEmbeddedPostgres(dir);
  const ownerUrl = await ensureDatabase(server.ownerUrl, options.name ?? `warden_bench_${Date.now()}`);
  const appRole = appRoleName({ ownerUrl });
  process.env.APP_DATABASE_URL = await ensureAppRole({ ownerUrl, role: appRole, password: randomBytes(24).toString("base64url") });
  await runMigrations(ownerUrl, { appRole });
  process.env.LOG_LEVEL = "silent";
  return {
    ownerUrl,
    close: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
