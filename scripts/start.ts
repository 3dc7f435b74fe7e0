// `npm start`: the database (embedded unless DATABASE_URL is set), migrations, the
// application role, a production build when the sources changed, then `next start`
// connected as the application role only.
import { spawn, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseConfig, ConfigError } from "../lib/config";
import { prepareDatabase } from "../lib/db/prepare-database";
import { issueSetupToken } from "../lib/setup/setup-token";
import { loadOrCreateLocalSecrets } from "./runtime-secrets";
import { buildFingerprint, buildIsCurrent, FINGERPRINT_FILE } from "./build-fingerprint";

const dev = process.argv.includes("--dev");
const started = Date.now();
const say = (line: string) => console.log(`[warden] ${line}`);
// Set once the database runs, so a failure after that (a build error) stops it too.
let stopDatabase = async () => {};

async function main() {
  const env: Record<string, string | undefined> = {
    ...process.env,
    NODE_ENV: dev ? "development" : "production",
    // Nothing may reach the internet: no telemetry, no lockfile "repair" downloads.
    NEXT_TELEMETRY_DISABLED: "1",
    NEXT_IGNORE_INCORRECT_LOCKFILE: "1",
  };
  const dataDir = resolve(env.WARDEN_DATA_DIR ?? ".data");
  if (!env.DATABASE_URL) {
    const local = loadOrCreateLocalSecrets(dataDir);
    if (local.movedFrom) say(`moved the generated secrets out of the data directory (${local.movedFrom})`);
    say(`generated secrets (keep them apart from backups of ${dataDir}): ${local.file}`);
    env.AUTH_SECRET ??= local.AUTH_SECRET;
    env.WARDEN_MASTER_KEY ??= local.WARDEN_MASTER_KEY;
    env.APP_DATABASE_PASSWORD ??= local.APP_DATABASE_PASSWORD;
  }
  // Validate everything but the app's own connection, which is made below.
  parseConfig({ ...env, APP_DATABASE_URL: env.APP_DATABASE_URL ?? "postgresql://placeholder/warden" });

  say(env.DATABASE_URL ? "using the PostgreSQL at DATABASE_URL" : `starting the embedded PostgreSQL in ${dataDir}`);
  const db = await prepareDatabase({
    databaseUrl: env.DATABASE_URL,
    appDatabaseUrl: env.APP_DATABASE_URL,
    appPassword: env.APP_DATABASE_PASSWORD,
    masterKey: env.WARDEN_MASTER_KEY,
    previousMasterKeys: env.WARDEN_PREVIOUS_MASTER_KEYS,
    dataDir,
  });
  stopDatabase = db.stop;
  say(db.applied.length ? `applied migrations: ${db.applied.join(", ")}` : "database schema is up to date");
  if (db.rekeyed.events) say(`re-keyed ${db.rekeyed.events} audit events of an earlier version in ${db.rekeyed.workspaces} workspaces`);
  for (const r of db.rekeyed.refused) say(`warning: the audit chain of workspace ${r.workspaceId} does not verify at event #${r.seq}; re-keyed up to it only`);
  say(`the console connects as ${db.appRole} (verified: not a superuser, no BYPASSRLS, owns nothing, no TEMP)`);

  const setupToken = await issueSetupToken(db.ownerUrl);

  if (!dev && !buildIsCurrent()) {
    say("building the console (first start or changed sources; this takes a minute or two)…");
    const build = spawnSync("npm", ["run", "build"], { stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
    if (build.status !== 0) throw new Error("the build failed; see the output above");
    writeFileSync(FINGERPRINT_FILE, buildFingerprint());
  }

  // The server gets the application role's connection and never the owner's.
  const port = env.PORT ?? "3000";
  const serverEnv: Record<string, string | undefined> = {
    ...env,
    APP_DATABASE_URL: db.appUrl,
    NEXTAUTH_URL: env.WARDEN_URL ?? `http://localhost:${port}`,
  };
  delete serverEnv.DATABASE_URL;
  delete serverEnv.APP_DATABASE_PASSWORD;
  say(env.REDIS_URL ? "rate limits: shared in Redis" : "rate limits: in memory (fine for one instance; set REDIS_URL to share them)");
  const server = spawn(process.execPath, ["--import", "tsx", "scripts/server.ts", ...(dev ? ["--dev"] : [])], {
    stdio: "inherit",
    env: { ...serverEnv, PORT: port } as unknown as NodeJS.ProcessEnv,
  });

  say(`starting the console at ${env.WARDEN_URL ?? `http://localhost:${port}`} (prepared in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  if (setupToken) {
    say("");
    say("No account exists yet. Open /setup and enter this one-time setup token:");
    say(`    setup token: ${setupToken}`);
    say("");
  }

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    // The server drains first (requests in flight finish, scripts/server.ts), and only
    // then does the embedded database stop under it.
    if (server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((done) => server.once("exit", done));
      server.kill("SIGTERM");
      await Promise.race([exited, new Promise((done) => setTimeout(done, 30_000))]);
    }
    await db.stop().catch(() => {});
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
  server.on("exit", (code) => void stop(code ?? 0));
}

main().catch(async (error) => {
  console.error(`[warden] cannot start: ${error instanceof ConfigError ? error.message : (error as Error).message}`);
  await stopDatabase().catch(() => {});
  process.exit(1);
});
