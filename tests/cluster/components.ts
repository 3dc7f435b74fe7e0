import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, createWriteStream, existsSync, mkdirSync, writeFileSync } from "node:fs";
import net from "node:net";
import { join, resolve } from "node:path";

// The real components of a small deployment, on loopback: Warden instances
// (scripts/server.ts on the production build), HAProxy, PgBouncer, Redis.

export const LOG_DIR = resolve("test-results", "cluster");
mkdirSync(LOG_DIR, { recursive: true });

const running = new Set<ChildProcess>();

export function portOpen(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((done) => {
    const socket = net.connect({ port, host });
    socket.once("connect", () => (socket.destroy(), done(true)));
    socket.once("error", () => done(false));
  });
}

export const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

export async function waitUntil(what: string, ok: () => Promise<boolean>, ms = 60_000, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`${what}: the process exited with ${child.exitCode}`);
    if (await ok().catch(() => false)) return;
    await sleep(250);
  }
  throw new Error(`${what}: not ready after ${ms / 1000} s`);
}

export function which(binary: string): string | null {
  const found = spawnSync("sh", ["-c", `command -v ${binary}`], { encoding: "utf8" });
  return found.status === 0 ? found.stdout.trim() : null;
}

/** Starts a process with its output in test-results/cluster/<name>.log; stopped by stopAll(). */
export function start(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const log = createWriteStream(join(LOG_DIR, `${name}.log`), { flags: "a" });
  const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  running.add(child);
  child.on("exit", () => running.delete(child));
  return child;
}

export function exited(child: ChildProcess, ms = 20_000): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((done) => {
    const timer = setTimeout(() => done(null), ms);
    child.once("exit", (code) => (clearTimeout(timer), done(code)));
  });
}

export async function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  child.kill("SIGTERM");
  const code = await exited(child, 15_000);
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  return code;
}

export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((child) => stop(child)));
}

export type InstanceEnv = { appUrl: string; redisUrl: string; publicUrl: string; authSecret: string; masterKey: string; poolSize?: number };

export type Instance = { name: string; port: number; url: string; child: ChildProcess };

/** One production instance: scripts/server.ts on the existing build, connected as the application role. */
export async function startInstance(name: string, port: number, settings: InstanceEnv): Promise<Instance> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(port),
    APP_DATABASE_URL: settings.appUrl,
    REDIS_URL: settings.redisUrl,
    WARDEN_URL: settings.publicUrl,
    NEXTAUTH_URL: settings.publicUrl,
    AUTH_SECRET: settings.authSecret,
    WARDEN_MASTER_KEY: settings.masterKey,
    // The test stands in for a CDN in front of HAProxy: two proxies (HAProxy appends the CDN's address).
    TRUST_PROXY_HOPS: "2",
    DATABASE_POOL_SIZE: String(settings.poolSize ?? 10),
    // HAProxy checks readiness each second and takes a server out after two failures.
    WARDEN_DRAIN_DELAY_SECONDS: "3",
    LOG_LEVEL: "warn",
  };
  const child = start(name, process.execPath, ["--import", "tsx", "scripts/server.ts"], env);
  const url = `http://127.0.0.1:${port}`;
  await waitUntil(`instance ${name}`, async () => (await fetch(`${url}/api/health/live`)).ok, 120_000, child);
  return { name, port, url, child };
}

/** HAProxy (Debian's 2.6) round-robin over the instances, checking /api/health/ready each second. */
export async function startHaproxy(port: number, backends: Instance[], name = "haproxy"): Promise<ChildProcess> {
  const config = join(LOG_DIR, `${name}.cfg`);
  writeFileSync(
    config,
    [
      "global",
      "  maxconn 2000",
      "defaults",
      "  mode http",
      "  timeout connect 2s",
      "  timeout client 60s",
      "  timeout server 60s",
      "  timeout check 10s",
      // The client's address appended to X-Forwarded-For (TRUST_PROXY_HOPS counts HAProxy).
      "  option forwardfor",
      // One request per server connection: a draining instance never races a reused idle connection.
      "  option http-server-close",
      // A connection refused (an instance that stopped accepting) goes to the next server;
      // nothing is retried once the request reached an instance (no double-apply).
      "  retries 3",
      "  option redispatch 1",
      "  retry-on conn-failure",
      "frontend warden",
      `  bind 127.0.0.1:${port}`,
      "  default_backend instances",
      "backend instances",
      "  balance roundrobin",
      "  option httpchk GET /api/health/ready",
      "  http-check expect status 200",
      ...backends.map((b) => `  server ${b.name} 127.0.0.1:${b.port} check inter 1s fall 2 rise 2`),
      "",
    ].join("\n"),
  );
  const child = start(name, "haproxy", ["-f", config, "-db"]);
  await waitUntil("haproxy", async () => (await fetch(`http://127.0.0.1:${port}/api/health/ready`)).ok, 30_000, child);
  return child;
}

/** PgBouncer (Debian's 1.18) in transaction pooling mode with a small pool, in front of `server`. */
export async function startPgbouncer(options: { port: number; server: URL; database: string; user: string; password: string; poolSize: number }): Promise<ChildProcess> {
  const dir = join(LOG_DIR, "pgbouncer");
  mkdirSync(dir, { recursive: true });
  const userlist = join(dir, "userlist.txt");
  writeFileSync(userlist, `"${options.user}" "${options.password}"\n`);
  const ini = join(dir, "pgbouncer.ini");
  writeFileSync(
    ini,
    [
      "[databases]",
      `${options.database} = host=${options.server.hostname} port=${options.server.port || 5432} dbname=${options.database}`,
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${options.port}`,
      "unix_socket_dir =",
      "auth_type = scram-sha-256",
      `auth_file = ${userlist}`,
      "pool_mode = transaction",
      `default_pool_size = ${options.poolSize}`,
      "min_pool_size = 0",
      "reserve_pool_size = 0",
      "max_client_conn = 500",
      // Prisma's adapter-pg sends the extended protocol with unnamed statements only: fine in 1.18.
      "ignore_startup_parameters = extra_float_digits,options",
      "server_reset_query =",
      `logfile = ${join(dir, "pgbouncer.log")}`,
      "",
    ].join("\n"),
  );
  // PgBouncer refuses to run as root: as nobody, which must read its files.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    for (const path of [LOG_DIR, dir]) chmodSync(path, 0o777);
    for (const path of [userlist, ini]) chmodSync(path, 0o644);
  }
  const child = start("pgbouncer", "pgbouncer", [...(asRoot ? ["-u", "nobody"] : []), ini]);
  await waitUntil("pgbouncer", () => portOpen(options.port), 20_000, child);
  return child;
}

/** A Redis of the test's own (no persistence), when the machine runs none. */
export async function startRedis(port: number): Promise<ChildProcess> {
  const child = start("redis", "redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]);
  await waitUntil("redis", () => portOpen(port), 20_000, child);
  return child;
}

export const haveBinary = (name: string) => which(name) !== null || existsSync(`/usr/sbin/${name}`);
