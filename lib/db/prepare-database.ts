import { appRoleName, checkAppPassword, ensureAppRole } from "./app-role";
import { startEmbeddedPostgres } from "./embedded";
import { runMigrations } from "./migrate";
import { EMBEDDED_DATABASE } from "./operator-database";
import { verifyAppRole } from "./verify-app-role";
import pg from "pg";

export type PreparedDatabase = {
  ownerUrl: string;
  appUrl: string;
  appRole: string;
  embedded: boolean;
  applied: string[];
  stop: () => Promise<void>;
};

type Options = {
  databaseUrl?: string;
  dataDir: string;
  /** The app's connection, for a role the operator manages: verified, never created or altered. */
  appDatabaseUrl?: string;
  /** Otherwise the password of `warden_app_<db>`, which this creates or updates (generated on the embedded path). */
  appPassword?: string;
  /** For seed:demo, which hands no connection to the server: migrate, and leave the app role as it is. */
  leaveAppRole?: boolean;
  log?: (line: string) => void;
};

/**
 * The one start-up path, for `npm start` and `npm run db:migrate` only: an external
 * PostgreSQL when DATABASE_URL is set, else an embedded one under dataDir; then this
 * database's application role, the migrations as the owner, and the proof that the
 * role holds nothing it must not. After this both paths are the same.
 */
export async function prepareDatabase(options: Options): Promise<PreparedDatabase> {
  const manage = !options.appDatabaseUrl && !options.leaveAppRole;
  // Refuse before starting anything rather than give the role a weak password.
  if (manage) checkAppPassword(options.appPassword);
  const embedded = !options.databaseUrl;
  const running = embedded
    ? await startEmbeddedPostgres(options.dataDir, options.log)
    : { ownerUrl: options.databaseUrl!, stop: async () => {} };
  let ownerUrl = running.ownerUrl;
  try {
    if (embedded) ownerUrl = await ensureDatabase(running.ownerUrl, EMBEDDED_DATABASE);
    const appRole = appRoleName({ ownerUrl, appDatabaseUrl: options.appDatabaseUrl });
    // Before the migrations, which grant to it.
    const appUrl = manage ? await ensureAppRole({ ownerUrl, role: appRole, password: options.appPassword! }) : (options.appDatabaseUrl ?? "");
    const applied = await runMigrations(ownerUrl, { appRole });
    if (!options.leaveAppRole) await verifyAppRole({ ownerUrl, role: appRole });
    return { ownerUrl, appUrl, appRole, embedded, applied, stop: running.stop };
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
