// `npm run bench:cluster`: requests per second through HAProxy to one instance and
// to two, for the members page (signed in) and for spend authorization, each the
// median of three 10-second autocannon runs, with GET /api/health/live through the
// same path as the floor (no database). Same components as `npm run test:cluster`.
import { randomUUID } from "node:crypto";
import { loadavg } from "node:os";
import autocannon from "autocannon";
import { agentWithCap, owner, seedWorkspace, signedIn } from "../../tests/cluster/checks";
import { startHaproxy, startInstance, stopAll, type InstanceEnv } from "../../tests/cluster/components";
import { ensureBuild, findRedis, prepareEnvironment } from "../../tests/cluster/environment";

const PORTS = { a: 4611, b: 4612, one: 4620, two: 4621, redis: 6412 };
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const RUNS = 3;
const KEYS = 100;

type Run = { perSecond: number; p50: number; p95: number; failed: number };

function load(url: string, request: autocannon.Request, seconds = SECONDS): Promise<Run> {
  const times: number[] = [];
  let failed = 0;
  return new Promise((done, fail) => {
    const instance = autocannon({ url, connections: CONNECTIONS, duration: seconds, requests: [request] }, (error) => {
      if (error) return fail(error);
      times.sort((a, b) => a - b);
      const pct = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? NaN;
      done({ perSecond: times.length / seconds, p50: pct(0.5), p95: pct(0.95), failed });
    });
    instance.on("response", (_client, status: number, _bytes: number, time: number) => {
      if (status >= 200 && status < 300) times.push(time);
      else failed += 1;
    });
  });
}

const median = (runs: Run[]) => [...runs].sort((a, b) => a.perSecond - b.perSecond)[Math.floor(runs.length / 2)];

async function main() {
  const redisUrl = await findRedis(PORTS.redis);
  if (!redisUrl) throw new Error("no Redis: set REDIS_URL or install redis-server");
  ensureBuild();
  const env = await prepareEnvironment("warden_cluster_bench", redisUrl);
  try {
    const publicUrl = `http://127.0.0.1:${PORTS.two}`;
    const base: InstanceEnv = { appUrl: env.appUrl, redisUrl, publicUrl, authSecret: env.authSecret, masterKey: env.masterKey };
    const a = await startInstance("bench-a", PORTS.a, base);
    const b = await startInstance("bench-b", PORTS.b, base);
    await startHaproxy(PORTS.one, [a], "bench-haproxy-one");
    await startHaproxy(PORTS.two, [a, b], "bench-haproxy-two");
    const cluster = { lb: publicUrl, a: a.url, b: b.url, ownerUrl: env.ownerUrl };

    // A workspace of 50 members; an agent whose cap no run reaches, and keys enough
    // that none exceeds its 300 requests a minute.
    const ws = await seedWorkspace(cluster, Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`m${i}`, i === 0 ? "owner" : "developer"])), "bench");
    const ownerId = ws.users.m0.id;
    const { agentId } = await agentWithCap(cluster, ws.workspaceId, ownerId, 1_000_000_000_000);
    const keys: string[] = [];
    for (let i = 0; i < KEYS; i += 1) keys.push((await agentWithCap(cluster, ws.workspaceId, ownerId, 1)).key);
    const db = await owner(cluster);
    await db.query("ANALYZE");
    await db.end();
    // One signed-in person per connection, as real traffic is: requests of one session
    // would queue on that session's row (its last-seen time) and measure that instead.
    const cookies: string[] = [];
    for (let i = 0; i < CONNECTIONS; i += 1) {
      const device = await signedIn(i % 2 ? b.url : a.url, ws.users[`m${i}`].email);
      cookies.push([...device.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    }
    let next = 0;
    let nextCookie = 0;

    const scenarios: Record<string, autocannon.Request> = {
      "floor: GET /api/health/live": { method: "GET", path: "/api/health/live" },
      "members page (signed in)": {
        method: "GET",
        path: `/w/${ws.slug}/members`,
        setupRequest: (request) => ({ ...request, headers: { cookie: cookies[nextCookie++ % cookies.length] } }),
      },
      "spend authorization (POST)": {
        method: "POST",
        path: `/api/v1/agents/${agentId}/authorizations`,
        setupRequest: (request) => ({
          ...request,
          headers: { authorization: `Bearer ${keys[next++ % keys.length]}`, "content-type": "application/json", "idempotency-key": randomUUID() },
          body: JSON.stringify({ model: "bench-unpriced", estimated_cost: "0.0001" }),
        }),
      },
    };
    console.log(
      `${CONNECTIONS} connections, ${SECONDS} s per run, median of ${RUNS} runs; load average before: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
    );
    for (const [label, port] of [
      ["one instance", PORTS.one],
      ["two instances", PORTS.two],
    ] as const) {
      for (const [name, request] of Object.entries(scenarios)) {
        const url = `http://127.0.0.1:${port}`;
        await load(url, request, 3); // warm-up
        const runs: Run[] = [];
        for (let i = 0; i < RUNS; i += 1) runs.push(await load(url, request));
        const m = median(runs);
        console.log(
          `${label.padEnd(14)} ${name.padEnd(30)} ${m.perSecond.toFixed(1).padStart(7)} req/s  p50 ${m.p50.toFixed(0)} ms  p95 ${m.p95.toFixed(0)} ms` +
            `  (runs ${runs.map((r) => r.perSecond.toFixed(1)).join(" / ")}; non-2xx ${runs.reduce((n, r) => n + r.failed, 0)}; load ${loadavg()[0].toFixed(2)})`,
        );
      }
    }
  } finally {
    await stopAll();
    await env.cleanUp();
  }
  process.exit(0);
}

main().catch(async (error) => {
  console.error(error);
  await stopAll();
  process.exit(1);
});
