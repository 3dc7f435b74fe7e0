// `npm run bench:secrets`: POST /api/v1/secrets/resolve over HTTP against a
// production build (`scripts/start.ts`, as a user starts Warden) in a workspace of
// 10,000 secrets: 20 concurrent clients (autocannon), 5 names per request, three
// runs of BENCH_SECONDS, each beside a floor measured the same way in the same run
// (GET /api/health: the server, middleware and network with no work of ours).
// Two workloads: "agents", where each key resolves its own five names again and again
// (an agent fetching its tools' credentials; identical accesses within 60 s share one
// audit event and a count), and "cold", five random names of 6,000 each time, so
// nearly every request opens new access windows and appends its events to the chain.
// Then the Secrets table's query (lib/secrets/list-secrets.ts) at 10,000 secrets.
//
// Each run uses a fresh pool of 20 keys, taken in turn: the per-key limit (apiKeyRequests,
// 300 a minute) is the product working, not something to measure here; a 429 or
// any other non-2xx is counted and reported, never timed.
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import { startBenchServer, stopBenchServer } from "./bench-server";
import pg from "pg";
import { openBenchDatabase } from "./bench-database";

const SECRETS = 10_000;
const CLIENTS = 20;
const NAMES_PER_RESOLVE = 5;
const RUNS = 3;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PORT = Number(process.env.BENCH_PORT ?? 3290);
const BASE = `http://127.0.0.1:${PORT}`;
const LIST_RUNS = 40;

type Figures = { requests: number; perSecond: number; p50: number; p95: number; p99: number; failed: number; statuses: string; load: number };

async function main() {
  process.env.WARDEN_MASTER_KEY ??= randomBytes(32).toString("base64");
  process.env.AUTH_SECRET ??= randomBytes(32).toString("base64url");
  const { ownerUrl, close } = await openBenchDatabase();
  const owner = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  const seeded = await seed(owner);
  // A pool of CLIENTS keys each for the warm-up, every run and the one-client run.
  const keys = await createKeys(owner, seeded, (2 * RUNS + 2) * CLIENTS);
  await owner.end();

  const dataDir = mkdtempSync(join(tmpdir(), "warden-bench-secrets-"));
  const server = await startBenchServer({ ownerUrl, dataDir, port: PORT });
  const results: { floor: Figures; resolve: Figures; agents: Figures }[] = [];
  const pool = (i: number) => keys.slice(i * CLIENTS, (i + 1) * CLIENTS);
  // Each key's own five names, the same on every request it makes.
  const fixed = Array.from({ length: CLIENTS }, (_, i) => seeded.production.slice(i * NAMES_PER_RESOLVE, (i + 1) * NAMES_PER_RESOLVE));
  try {
    // Warm-up: the build's first requests, the pool, the unwrapped data key.
    await load("/api/health", null, 3);
    await load("/api/v1/secrets/resolve", { names: seeded.production, keys: pool(0) }, 3);
    for (let run = 0; run < RUNS; run++) {
      const floor = await load("/api/health", null, SECONDS);
      const agents = await load("/api/v1/secrets/resolve", { names: seeded.production, keys: pool(1 + 2 * run), fixed }, SECONDS);
      const resolve = await load("/api/v1/secrets/resolve", { names: seeded.production, keys: pool(2 + 2 * run) }, SECONDS);
      results.push({ floor, resolve, agents });
      console.log(`run ${run + 1}: ${line("agents", agents)}`);
      console.log(`       ${line("cold", resolve)}`);
      console.log(`       ${line("floor", floor)}`);
    }
    // One client, nothing queued: what a single resolve costs, beside the floor's own.
    const alone = await load("/api/v1/secrets/resolve", { names: seeded.production, keys: pool(2 * RUNS + 1) }, SECONDS, 1);
    const floorAlone = await load("/api/health", null, SECONDS, 1);
    console.log(`1 client: ${line("resolve", alone)}`);
    console.log(`          ${line("floor", floorAlone)}`);
  } finally {
    stopBenchServer(server);
    rmSync(dataDir, { recursive: true, force: true });
  }

  const median = (pick: (f: { floor: Figures; resolve: Figures; agents: Figures }) => number) => results.map(pick).sort((a, b) => a - b)[Math.floor(results.length / 2)];
  console.log("");
  console.log(
    `secrets: ${SECRETS} (${seeded.production.length} in production), ${CLIENTS} concurrent clients, ${NAMES_PER_RESOLVE} names per resolve, ${RUNS} runs of ${SECONDS} s, rate limits ${process.env.REDIS_URL ? "in Redis" : "in memory"}`,
  );
  console.log(
    `median agents:   ${median((r) => r.agents.perSecond).toFixed(0)} resolves/s   p50 ${median((r) => r.agents.p50).toFixed(1)} ms   p95 ${median((r) => r.agents.p95).toFixed(1)} ms   p99 ${median((r) => r.agents.p99).toFixed(1)} ms   (target p95 <= 25 ms)`,
  );
  console.log(
    `median cold:     ${median((r) => r.resolve.perSecond).toFixed(0)} resolves/s   p50 ${median((r) => r.resolve.p50).toFixed(1)} ms   p95 ${median((r) => r.resolve.p95).toFixed(1)} ms   p99 ${median((r) => r.resolve.p99).toFixed(1)} ms`,
  );
  console.log(
    `median floor:    ${median((r) => r.floor.perSecond).toFixed(0)} requests/s   p50 ${median((r) => r.floor.p50).toFixed(1)} ms   p95 ${median((r) => r.floor.p95).toFixed(1)} ms   p99 ${median((r) => r.floor.p99).toFixed(1)} ms   (GET /api/health)`,
  );
  console.log(`load average (1 min) after each run: ${results.map((r) => r.resolve.load.toFixed(2)).join(", ")}`);

  await benchList(seeded.workspaceId);
  await close();
  process.exit(results.some((r) => r.resolve.failed > 0 || r.agents.failed > 0) ? 1 : 0);
}

const line = (label: string, f: Figures) =>
  `${label.padEnd(8)} ${f.perSecond.toFixed(0).padStart(5)}/s  p50 ${f.p50.toFixed(1)} ms  p95 ${f.p95.toFixed(1)} ms  p99 ${f.p99.toFixed(1)} ms  (${f.requests} ok, ${f.failed} failed${f.statuses}; load ${f.load.toFixed(2)})`;

type Seeded = { workspaceId: string; userId: string; production: string[] };

/** 10,000 secrets sealed here with the workspace's data key, as the app seals them, and inserted a thousand rows at a time. */
async function seed(owner: pg.Client): Promise<Seeded> {
  const { configuredKeyProvider } = await import("../../lib/crypto/key-provider");
  const { dataKeyContext } = await import("../../lib/secrets/data-key-context");
  const { sealValue } = await import("../../lib/secrets/secret-cipher");
  const started = performance.now();
  const ws = await owner.query<{ id: string }>(`INSERT INTO workspaces (name, slug) VALUES ('Bench', 'bench') RETURNING id`);
  const workspaceId = ws.rows[0].id;
  const user = await owner.query<{ id: string }>(`INSERT INTO users (email, name, password_hash) VALUES ('runtime@example.test', 'Runtime owner', 'x') RETURNING id`);
  const userId = user.rows[0].id;
  await owner.query(`INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, 'developer')`, [workspaceId, userId]);

  await owner.query("BEGIN");
  await owner.query("SELECT set_config('app.workspace_id', $1, true)", [workspaceId]);
  const environments = new Map((await owner.query<{ id: string; name: string }>(`SELECT id, name FROM environments WHERE workspace_id = $1`, [workspaceId])).rows.map((r) => [r.name, r.id]));
  const dataKeyId = randomUUID();
  const dataKey = randomBytes(32);
  const provider = configuredKeyProvider();
  await owner.query(`INSERT INTO workspace_data_keys (id, workspace_id, wrapped_key, kek_fingerprint, encryptions) VALUES ($1, $2, $3, $4, $5)`, [
    dataKeyId,
    workspaceId,
    await provider.wrap(dataKey, dataKeyContext(workspaceId, dataKeyId)),
    provider.fingerprint,
    SECRETS,
  ]);
  const production: string[] = [];
  for (let from = 0; from < SECRETS; from += 1000) {
    const batch = Array.from({ length: Math.min(1000, SECRETS - from) }, (_, j) => {
      const i = from + j;
      // 60% production, 20% staging, 20% development; some on a rotation interval, some expiring.
      const environment = i % 10 < 6 ? "production" : i % 10 < 8 ? "staging" : "development";
      const name = `SERVICE_${String(i).padStart(5, "0")}_API_KEY`;
      if (environment === "production") production.push(name);
      const id = randomUUID();
      return {
        id,
        name,
        environment: environments.get(environment)!,
        description: `Credential ${i} for service ${i % 97}`,
        rotation: i % 7 === 0 ? 30 : null,
        expires: i % 11 === 0 ? new Date(Date.now() + ((i % 60) - 30) * 86_400_000).toISOString() : null,
        changed: new Date(Date.now() - (i % 120) * 86_400_000).toISOString(),
        ciphertext: sealValue(`bench-value-${i}-${randomBytes(16).toString("hex")}`, dataKey, { workspaceId, secretId: id, version: 1 }),
      };
    });
    const column = <K extends keyof (typeof batch)[number]>(key: K) => batch.map((row) => row[key]);
    await owner.query(
      `INSERT INTO secrets (id, workspace_id, environment_id, name, description, rotation_interval_days, expires_at, value_changed_at, updated_at, created_by_id, updated_by_id)
       SELECT u.id, $1, u.environment_id, u.name, u.description, u.rotation, u.expires, u.changed, u.changed, $2, $2
         FROM unnest($3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::int[], $8::timestamptz[], $9::timestamptz[])
           AS u(id, environment_id, name, description, rotation, expires, changed)`,
      [workspaceId, userId, column("id"), column("environment"), column("name"), column("description"), column("rotation"), column("expires"), column("changed")],
    );
    await owner.query(
      `INSERT INTO secret_versions (workspace_id, secret_id, version, ciphertext, data_key_id, created_by_id)
       SELECT $1, u.id, 1, u.ciphertext, $2, $3 FROM unnest($4::uuid[], $5::text[]) AS u(id, ciphertext)`,
      [workspaceId, dataKeyId, userId, column("id"), column("ciphertext")],
    );
  }
  await owner.query("COMMIT");
  await owner.query("ANALYZE");
  console.log(`seeded ${SECRETS} sealed secrets in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { workspaceId, userId, production };
}

async function createKeys(owner: pg.Client, seeded: Seeded, count: number): Promise<string[]> {
  const { generateApiKey } = await import("../../lib/api-keys/api-key-token");
  const keys = Array.from({ length: count }, () => generateApiKey());
  await owner.query("BEGIN");
  await owner.query("SELECT set_config('app.workspace_id', $1, true)", [seeded.workspaceId]);
  await owner.query(
    `INSERT INTO api_keys (workspace_id, name, prefix, key_hash, scopes, created_by_id)
     SELECT $1, 'bench runtime ' || u.ord, u.prefix, u.hash, ARRAY['secrets:resolve'], $2 FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS u(prefix, hash, ord)`,
    [seeded.workspaceId, seeded.userId, keys.map((k) => k.prefix), keys.map((k) => k.hash)],
  );
  await owner.query("COMMIT");
  return keys.map((k) => k.key);
}

/** One autocannon run: 2xx latencies timed exactly (every response), anything else counted by status. */
function load(path: string, resolve: { names: string[]; keys: string[]; fixed?: string[][] } | null, seconds: number, connections = CLIENTS): Promise<Figures> {
  const times: number[] = [];
  const statuses = new Map<number, number>();
  let nextKey = 0;
  const pick = (names: string[]) => {
    const chosen = new Set<string>();
    while (chosen.size < NAMES_PER_RESOLVE) chosen.add(names[Math.floor(Math.random() * names.length)]);
    return [...chosen];
  };
  return new Promise((done, fail) => {
    const instance = autocannon(
      {
        url: BASE,
        connections,
        duration: seconds,
        requests: [
          resolve
            ? {
                method: "POST",
                path,
                // The pool's keys in turn, so none exceeds its per-key budget; each key's
                // own names ("agents") or five random names each time ("cold").
                setupRequest: (request) => {
                  const index = nextKey++ % resolve.keys.length;
                  const names = resolve.fixed ? resolve.fixed[index] : pick(resolve.names);
                  return {
                    ...request,
                    headers: { authorization: `Bearer ${resolve.keys[index]}`, "content-type": "application/json" },
                    body: JSON.stringify({ environment: "production", names }),
                  };
                },
              }
            : { method: "GET", path },
        ],
      },
      (error) => {
        if (error) return fail(error);
        times.sort((a, b) => a - b);
        const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] ?? NaN;
        const failed = [...statuses.values()].reduce((a, b) => a + b, 0);
        done({
          requests: times.length,
          perSecond: times.length / seconds,
          p50: pct(50),
          p95: pct(95),
          p99: pct(99),
          failed,
          statuses: failed ? `: ${[...statuses].map(([s, n]) => `${n}×${s}`).join(", ")}` : "",
          load: loadavg()[0],
        });
      },
    );
    instance.on("response", (_client, status: number, _bytes: number, time: number) => {
      if (status >= 200 && status < 300) times.push(time);
      else statuses.set(status, (statuses.get(status) ?? 0) + 1);
    });
  });
}

/** The Secrets table's query at 10,000 secrets, the members benchmark's way: p50/p95 of 40 runs per view. */
async function benchList(workspaceId: string) {
  let listSecrets: typeof import("../../lib/secrets/list-secrets").listSecrets;
  try {
    ({ listSecrets } = await import("../../lib/secrets/list-secrets"));
  } catch (error) {
    console.log(`secrets table: not timed (${(error as Error).message.split("\n")[0]}; run with node --conditions=react-server, as npm run bench:secrets does)`);
    return;
  }
  const { withWorkspace } = await import("../../lib/db/with-workspace");
  const { secretListQuerySchema } = await import("../../lib/secrets/secret-list-query");
  const production = await withWorkspace(workspaceId, (tx) => tx.environment.findFirst({ where: { workspaceId, name: "production" }, select: { id: true } }));
  const scenarios: Record<string, [Record<string, string>, string | null]> = {
    "first page (by name)": [{}, null],
    "search 'service_0777'": [{ q: "service_0777" }, null],
    "production, updated desc": [{ env: "production", sort: "updated", dir: "desc" }, production!.id],
    "rotation due": [{ status: "rotation_due" }, null],
    "last resolved, page 200": [{ sort: "lastResolved", dir: "desc", page: "200", size: "25" }, null],
  };
  console.log("");
  console.log(`secrets table: ${SECRETS} secrets, ${LIST_RUNS} runs each`);
  for (const [label, [params, environmentId]] of Object.entries(scenarios)) {
    const query = secretListQuerySchema.parse(params);
    const run = () => withWorkspace(workspaceId, (tx) => listSecrets(tx, { workspaceId, query, environmentId }));
    await run();
    const times: number[] = [];
    for (let i = 0; i < LIST_RUNS; i++) {
      const t = performance.now();
      await run();
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const p = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(1);
    console.log(`${label.padEnd(28)} p50 ${p(0.5)} ms   p95 ${p(0.95)} ms`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
