import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../../lib/db/embedded";
import { ensureDatabase } from "../../lib/db/ensure-database";
import { runMigrations } from "../../lib/db/migrate";
import { appRoleName, ensureAppRole } from "../../lib/db/app-role";
import { verifyAppRole } from "../../lib/db/verify-app-role";

declare module "vitest" {
  export interface ProvidedContext {
    serverUrl: string;
    ownerUrl: string;
    appUrl: string;
    appRole: string;
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
  // This database's own app role, as start-up makes it (DROP DATABASE leaves roles behind: dropped below).
  const appRole = appRoleName({ ownerUrl });
  const appUrl = await ensureAppRole({ ownerUrl, role: appRole, password: randomBytes(24).toString("base64url") });
  await runMigrations(ownerUrl, { appRole });
  await verifyAppRole({ ownerUrl, role: appRole });
  project.provide("serverUrl", serverUrl);
  project.provide("ownerUrl", ownerUrl);
  project.provide("appUrl", appUrl);
  project.provide("appRole", appRole);

  return async () => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`).catch(() => {});
    await client.query(`DROP ROLE IF EXISTS ${client.escapeIdentifier(appRole)}`).catch(() => {});
    await client.end();
    await stopServer();
  };
}
