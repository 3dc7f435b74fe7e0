import { auditKeyringFrom, previousMasterKeys } from "../audit/audit-chain-keys";
import { rekeyLegacyChain, type RekeyReport } from "../audit/rekey-legacy-chain";
import { checkWrappingKeys } from "../crypto/check-wrapping-keys";
import { keyProviderFrom } from "../crypto/key-provider";
import { appRoleName, checkAppPassword, ensureAppRole } from "./app-role";
import { startEmbeddedPostgres } from "./embedded";
import { runMigrations } from "./migrate";
import { EMBEDDED_DATABASE } from "./operator-database";
import { verifyAppRole } from "./verify-app-role";
import { ensureDatabase } from "./ensure-database";
import pg from "pg";

export type PreparedDatabase = {
  ownerUrl: string;
  appUrl: string;
  appRole: string;
  embedded: boolean;
  applied: string[];
  /** Events of an earlier version's unkeyed chain re-keyed by this start (none after the first). */
  rekeyed: RekeyReport;
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
  /** WARDEN_MASTER_KEY: the audit chain's key, for re-keying an earlier version's events. Never stored in the database. */
  masterKey?: string;
  /** WARDEN_PREVIOUS_MASTER_KEYS as written (comma-separated): events keyed under them are re-linked, not refused. */
  previousMasterKeys?: string;
  log?: (line: string) => void;
};

/**
 * The one start-up path, for `npm start` and `npm run db:migrate` only: an external
 * PostgreSQL when DATABASE_URL is set, else an embedded one under dataDir; then this
 * database's application role, the migrations as the owner, and the proof that the
 * role holds nothing it must not. After this both paths are the same.
 *
 * With the master key, start-up refuses when a workspace data key is wrapped under a
 * key it does not hold, and records the configured fingerprints in key_history.
 *
 * Right after the migrations, events an earlier version wrote without a key are
 * re-keyed (lib/audit/rekey-legacy-chain.ts), before the server appends to their
 * chains: verification refuses unkeyed events, so a log left as it was would read as
 * broken, and only this process holds the key.
 */
export async function prepareDatabase(options: Options): Promise<PreparedDatabase> {
  const manage = !options.appDatabaseUrl && !options.leaveAppRole;
  // Refuse before starting anything rather than give the role a weak password.
  if (manage) checkAppPassword(options.appPassword);
  const embedded = !options.databaseUrl;
  const running = embedded ? await startEmbeddedPostgres(options.dataDir, options.log) : { ownerUrl: options.databaseUrl!, stop: async () => {} };
  let ownerUrl = running.ownerUrl;
  try {
    if (embedded) ownerUrl = await ensureDatabase(running.ownerUrl, EMBEDDED_DATABASE);
    const appRole = appRoleName({ ownerUrl, appDatabaseUrl: options.appDatabaseUrl });
    // Before the migrations, which grant to it.
    const appUrl = manage ? await ensureAppRole({ ownerUrl, role: appRole, password: options.appPassword! }) : (options.appDatabaseUrl ?? "");
    const applied = await runMigrations(ownerUrl, { appRole });
    const rekeyed = await rekeyLegacyEvents(ownerUrl, options);
    // A data key wrapped under a key this process lacks would fail the first secret
    // sealed or opened: refuse now, naming the fingerprint (lib/crypto/check-wrapping-keys.ts).
    if (options.masterKey) {
      const provider = keyProviderFrom(options.masterKey, previousMasterKeys(options.previousMasterKeys));
      await checkWrappingKeys({ ownerUrl, provider });
    }
    if (!options.leaveAppRole) await verifyAppRole({ ownerUrl, role: appRole });
    return { ownerUrl, appUrl, appRole, embedded, applied, rekeyed, stop: running.stop };
  } catch (error) {
    await running.stop();
    throw error;
  }
}

/** Without the master key nothing can be re-keyed: refuse, naming it, only when something waits for it. */
async function rekeyLegacyEvents(ownerUrl: string, options: Options): Promise<RekeyReport> {
  if (options.masterKey) {
    const keyring = auditKeyringFrom(options.masterKey, previousMasterKeys(options.previousMasterKeys));
    return rekeyLegacyChain({ ownerUrl, keyring, log: options.log });
  }
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  let waiting = 0;
  try {
    // FORCE RLS hides every row from an owner that is not a superuser; lifted for
    // this transaction only, which is rolled back (DDL is transactional).
    await client.query("BEGIN");
    await client.query("SET LOCAL lock_timeout = '10s'");
    await client.query("ALTER TABLE public.audit_events NO FORCE ROW LEVEL SECURITY");
    waiting = (await client.query<{ n: number }>("SELECT count(*)::int AS n FROM public.audit_events WHERE key_id IS NULL")).rows[0].n;
  } finally {
    await client.query("ROLLBACK").catch(() => {});
    await client.end();
  }
  if (waiting > 0) throw new Error(`${waiting} audit events from an earlier version wait to be re-keyed with the audit chain's key: set WARDEN_MASTER_KEY`);
  return { workspaces: 0, events: 0, refused: [] };
}
