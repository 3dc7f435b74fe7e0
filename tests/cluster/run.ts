// `npm run test:cluster`: two production instances behind HAProxy against one
// PostgreSQL and one Redis, then the same with PgBouncer (transaction pooling)
// between them and PostgreSQL; graceful shutdown under a burst; PostgreSQL
// restarted under load. Each check's name states the promise it holds the cluster to.
import { join } from "node:path";
import { CHECKS, runChecks, type Cluster } from "./checks";
import { haveBinary, startHaproxy, startInstance, startPgbouncer, stop, stopAll, type InstanceEnv } from "./components";
import { ensureBuild, findRedis, prepareEnvironment } from "./environment";
import { drainCheck, restartCheck, tenantInterleaveCheck } from "./resilience";

// Ports of this harness (4500-4699 for servers, 6400-6499 for databases and Redis).
const PORTS = { a: 4601, b: 4602, lb: 4600, single: 4603, pgbouncer: 6410, redis: 6411 };
const DATABASE = "warden_cluster";
const say = (line: string) => console.log(`[cluster] ${line}`);

async function main(): Promise<number> {
  const redisUrl = await findRedis(PORTS.redis);
  if (!redisUrl) {
    say("SKIPPED: no Redis (REDIS_URL unset, nothing on 127.0.0.1:6379, no redis-server installed); several instances need one");
    return 0;
  }
  for (const binary of ["haproxy", "pgbouncer"]) {
    if (!haveBinary(binary)) throw new Error(`${binary} is not installed (apt-get install -y haproxy pgbouncer; .ci/run does it)`);
  }
  ensureBuild();
  const env = await prepareEnvironment(DATABASE, redisUrl);
  const { ownerUrl, dataDir, masterKey, authSecret } = env;
  const db = { appUrl: env.appUrl };

  let failures = 0;
  const lb = `http://127.0.0.1:${PORTS.lb}`;
  const base: InstanceEnv = { appUrl: db.appUrl, redisUrl, publicUrl: lb, authSecret, masterKey };
  try {
    // 1. Two instances straight on PostgreSQL.
    say("two instances → PostgreSQL, HAProxy round-robin in front");
    let a = await startInstance("a", PORTS.a, base);
    let b = await startInstance("b", PORTS.b, base);
    let haproxy = await startHaproxy(PORTS.lb, [a, b]);
    const direct: Cluster = { lb, a: a.url, b: b.url, ownerUrl };
    failures += await runChecks("direct", CHECKS, direct);
    failures += await runChecks("direct", [drainCheck(a)], direct);
    await Promise.all([stop(b.child), stop(haproxy)]);

    // 2. The same through PgBouncer 1.18, transaction pooling, a pool of 3 server connections.
    const app = new URL(db.appUrl);
    await startPgbouncer({ port: PORTS.pgbouncer, server: app, database: app.pathname.slice(1), user: decodeURIComponent(app.username), password: decodeURIComponent(app.password), poolSize: 3 });
    const pooled = new URL(db.appUrl);
    pooled.hostname = "127.0.0.1";
    pooled.port = String(PORTS.pgbouncer);
    say("two instances → PgBouncer (transaction pooling, pool_size 3) → PostgreSQL");
    a = await startInstance("a-pgbouncer", PORTS.a, { ...base, appUrl: pooled.toString() });
    b = await startInstance("b-pgbouncer", PORTS.b, { ...base, appUrl: pooled.toString() });
    haproxy = await startHaproxy(PORTS.lb, [a, b]);
    const throughBouncer: Cluster = { lb, a: a.url, b: b.url, ownerUrl };
    failures += await runChecks("pgbouncer", [...CHECKS, tenantInterleaveCheck], throughBouncer);
    failures += await runChecks("pgbouncer", [drainCheck(a)], throughBouncer);
    await stopAll();

    // 3. PostgreSQL of the test's own, stopped and started under load.
    failures += await runChecks("restart", [restartCheck({ port: PORTS.single, base, dir: join(dataDir, "restart") })], direct);
  } finally {
    await stopAll();
    await env.cleanUp();
  }
  say(failures ? `${failures} check(s) failed (logs: test-results/cluster/)` : "all checks passed");
  return failures ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  async (error) => {
    console.error(`[cluster] ${(error as Error).stack}`);
    await stopAll();
    process.exit(1);
  },
);
