import { ensureAppRole } from "./app-role";
import { startEmbeddedPostgres } from "./embedded";
import { runMigrations } from "./migrate";
import pg from "pg";

export type PreparedDatabase = {
  ownerUrl: string;
  appUrl: string;
  embedded: boolean;
  applied: string[];
  stop: () => Promise<void>;
};

type Options = {
  databaseUrl?: string;
  appDatabaseUrl?: string;
  dataDir: string;
  appPassword: string;
  log?: (line: string) => void;
};

/**
 * The one start-up path: an external PostgreSQL when DATABASE_URL is set, else an
 * embedded one under dataDir; then migrations as the owner and the app role's login.
 * After this both paths are the same.
 */
export async function prepareDatabase(options: Options): Promise<PreparedDatabase> {
  const embedded = !options.databaseUrl;
  const running = embedded
    ? await startEmbeddedPostgres(options.dataDir, options.log)
    : { ownerUrl: options.databaseUrl!, stop: async () => {} };
  let ownerUrl = running.ownerUrl;
  try {
    if (embedded) ownerUrl = await ensureDatabase(running.ownerUrl, "warden");
    const applied = await runMigrations(ownerUrl);
    const appUrl = options.appDatabaseUrl ?? (await ensureAppRole(ownerUrl, options.appPassword));
    return { ownerUrl, appUrl, embedded, applied, stop: running.stop };
  } catch (error) {
    await running.stop();
    throw error;
  }
}

/** Creates the named database on the server when it is missing; returns its URL. */
export async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

