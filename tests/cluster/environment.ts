import { randomBytes } from "node:crypto";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { buildFingerprint, buildIsCurrent, FINGERPRINT_FILE } from "../../scripts/build-fingerprint";
import { haveBinary, portOpen, startRedis } from "./components";

// What the cluster test and the cluster benchmark share: one Redis, one PostgreSQL
// database (fresh, migrated, with its application role), secrets, a production build.

export type ClusterEnvironment = {
  redisUrl: string;
  ownerUrl: string;
  appUrl: string;
  masterKey: string;
  authSecret: string;
  dataDir: string;
  cleanUp: () => Promise<void>;
};

const say = (line: string) => console.log(`[cluster] ${line}`);

/** Redis: REDIS_URL, else the machine's on 6379, else one started on `port` when installed; null when none exists. */
export async function findRedis(port: number): Promise<string | null> {
  if (process.env.REDIS_URL) return process.env.REDIS_URL;
  if (await portOpen(6379)) return "redis://127.0.0.1:6379";
  if (!haveBinary("redis-server")) return null;
  await startRedis(port);
  return `redis://127.0.0.1:${port}`;
}

/** The production build, made when the sources changed (CLUSTER_REUSE_BUILD=1 takes the existing one as it is). */
export function ensureBuild(): void {
  if (buildIsCurrent() || process.env.CLUSTER_REUSE_BUILD) return;
  say("building the console (production build)…");
  const build = spawnSync("npm", ["run", "build"], { stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
  if (build.status !== 0) throw new Error("the build failed");
  writeFileSync(FINGERPRINT_FILE, buildFingerprint());
}

/**
 * PostgreSQL: TEST_DATABASE_URL's server or the machine's on 5432, with a fresh
 * database `name` (dropped by cleanUp); else an embedded one in a temporary directory.
 */
export async function prepareEnvironment(name: string, redisUrl: string): Promise<ClusterEnvironment> {
  const dataDir = mkdtempSync(join(tmpdir(), "warden-cluster-"));
  if (process.getuid?.() === 0) chmodSync(dataDir, 0o711);
  let serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl && (await portOpen(5432))) serverUrl = "postgresql://postgres@127.0.0.1:5432/postgres";
  const masterKey = randomBytes(32).toString("base64");
  const authSecret = randomBytes(32).toString("base64url");
  process.env.WARDEN_MASTER_KEY = masterKey;
  process.env.LOG_LEVEL ??= "silent";
  const { prepareDatabase } = await import("../../lib/db/prepare-database");
  const { ensureDatabase } = await import("../../lib/db/ensure-database");
  let ownerUrl: string | undefined;
  if (serverUrl) {
    await dropIfExists(serverUrl, name);
    ownerUrl = await ensureDatabase(serverUrl, name);
    say(`PostgreSQL: a fresh database ${name} on ${new URL(serverUrl).host}`);
  } else say("PostgreSQL: embedded");
  const db = await prepareDatabase({ databaseUrl: ownerUrl, dataDir, appPassword: randomBytes(24).toString("base64url"), masterKey });
  say(`Redis: ${redisUrl}`);
  return {
    redisUrl,
    ownerUrl: db.ownerUrl,
    appUrl: db.appUrl,
    masterKey,
    authSecret,
    dataDir,
    cleanUp: async () => {
      await db.stop().catch(() => {});
      if (serverUrl) await dropIfExists(serverUrl, name).catch((error) => say(`could not drop ${name}: ${(error as Error).message}`));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function dropIfExists(serverUrl: string, name: string) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
    await client.query(`DROP ROLE IF EXISTS ${client.escapeIdentifier(`warden_app_${name}`)}`).catch(() => {});
  } finally {
    await client.end();
  }
}
