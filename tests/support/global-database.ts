import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../../lib/db/embedded";
import { ensureDatabase } from "../../lib/db/prepare-database";
import { runMigrations } from "../../lib/db/migrate";
import { ensureAppRole } from "../../lib/db/app-role";

declare module "vitest" {
  export interface ProvidedContext {
    serverUrl: string;
    ownerUrl: string;
    appUrl: string;
  }
}

/**
 * One real PostgreSQL for the run: TEST_DATABASE_URL's server when set, else an
 * embedded one in a temporary directory. Each run gets a new database.
 */
export default async function setup(project: TestProject) {
  let serverUrl = process.env.TEST_DATABASE_URL;
  let stopServer = async () => {};
  if (!serverUrl) {
    const dir = mkdtempSync(join(tmpdir(), "warden-test-pg-"));
    const running = await startEmbeddedPostgres(dir);
    serverUrl = running.ownerUrl;
    stopServer = async () => {
      await running.stop();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  const name = `warden_test_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const ownerUrl = await ensureDatabase(serverUrl, name);
  await runMigrations(ownerUrl);
  const appUrl = await ensureAppRole(ownerUrl, "warden-test-app-password");
  project.provide("serverUrl", serverUrl);
  project.provide("ownerUrl", ownerUrl);
  project.provide("appUrl", appUrl);

  return async () => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`).catch(() => {});
    await client.end();
    await stopServer();
  };
}
