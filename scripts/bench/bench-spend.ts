// `npm run bench:spend`: POST /api/v1/agents/{agent}/authorizations over HTTP against a
// production build (`scripts/start.ts`, as a user starts Warden): 200 concurrent
// clients (autocannon) make 10,000 authorization attempts against one agent whose
// daily cap admits exactly ADMITS of them. It prints how many were admitted (it must
// be exactly ADMITS: no overshoot, no false refusal), authorizations per second (every
// answer, admitted or refused, is an authorization decided) and p50/p95, beside a
// floor measured the same way (GET /api/health: the server, middleware and network
// with no work of ours). Exits 1 on any overshoot, undershoot or non-2xx/402 answer.
//
// The attempts are spread over a pool of keys: the per-key limit (apiKeyRequests,
// 300 a minute) is the product working, not something to measure here.
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { startBenchServer, stopBenchServer } from "./bench-server";
import pg from "pg";
import { openBenchDatabase } from "./bench-database";

const CLIENTS = 200;
const ATTEMPTS = Number(process.env.BENCH_ATTEMPTS ?? 10_000);
/** The cap admits exactly this many attempts (each holds COST_MICROS). */
const ADMITS = Number(process.env.BENCH_ADMITS ?? 2_500);
const OUTPUT_TOKENS = 1_000;
/** The bench model costs 1 micro-dollar per output token and nothing per input token. */
const COST_MICROS = OUTPUT_TOKENS;
const KEYS = 200;
const PORT = Number(process.env.BENCH_PORT ?? 3291);
const BASE = `http://127.0.0.1:${PORT}`;
const MODEL = "bench-model";

type Figures = { answers: number; perSecond: number; p50: number; p95: number; p99: number; statuses: Map<number, number>; load: number };

async function main() {
  process.env.WARDEN_MASTER_KEY ??= randomBytes(32).toString("base64");
  process.env.AUTH_SECRET ??= randomBytes(32).toString("base64url");
  const { ownerUrl, close } = await openBenchDatabase();
  const owner = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  const seeded = await seed(owner);
  const warmKeys = await createKeys(owner, seeded, KEYS);
  const keys = await createKeys(owner, seeded, KEYS);

  const dataDir = mkdtempSync(join(tmpdir(), "warden-bench-spend-"));
  const server = await startBenchServer({ ownerUrl, dataDir, port: PORT });
  let ok = false;
  try {
    // Warm-up on another agent with room for everything: the build's first requests, the pool.
    await load("/api/health", null, 2_000);
    await load(`/api/v1/agents/${seeded.warmAgentId}/authorizations`, warmKeys, 2_000);
    const floor = await load("/api/health", null, ATTEMPTS);
    const spend = await load(`/api/v1/agents/${seeded.agentId}/authorizations`, keys, ATTEMPTS);

    const { rows } = await owner.query<{ spent: string; held: string; holds: number }>(
      `SELECT d.spent_micros::text AS spent, d.held_micros::text AS held, (SELECT count(*)::int FROM spend_holds h WHERE h.agent_id = d.agent_id) AS holds
         FROM agent_days d WHERE d.agent_id = $1`,
      [seeded.agentId],
    );
    const admitted = spend.statuses.get(201) ?? 0;
    const refused = spend.statuses.get(402) ?? 0;
    const other = [...spend.statuses].filter(([s]) => s !== 201 && s !== 402);
    const used = Number(rows[0]?.spent ?? 0) + Number(rows[0]?.held ?? 0);
    console.log("");
    console.log(
      `spend: ${ATTEMPTS} attempts, ${CLIENTS} concurrent clients, ${KEYS} keys, one agent whose cap admits exactly ${ADMITS}; rate limits ${process.env.REDIS_URL ? "in Redis" : "in memory"}`,
    );
    console.log(`admitted:  ${admitted} (201)   refused: ${refused} (402 budget_exhausted)   other: ${other.map(([s, n]) => `${n}×${s}`).join(", ") || "none"}`);
    console.log(`database:  ${rows[0]?.holds ?? 0} holds, spent + held = ${used} micros of a cap of ${ADMITS * COST_MICROS} (${used > ADMITS * COST_MICROS ? "OVERSHOOT" : "no overshoot"})`);
    console.log(`${line("authorize", spend)}   (target >= 1000/s, p95 <= 50 ms)`);
    console.log(`${line("floor", floor)}   (GET /api/health)`);
    ok = admitted === ADMITS && rows[0]?.holds === ADMITS && used === ADMITS * COST_MICROS && other.length === 0;
    console.log(ok ? `OK: exactly ${ADMITS} admitted` : `FAILED: expected exactly ${ADMITS} admitted`);
  } finally {
    stopBenchServer(server);
    rmSync(dataDir, { recursive: true, force: true });
    await owner.end();
  }
  await close();
  process.exit(ok ? 0 : 1);
}

const line = (label: string, f: Figures) =>
  `${label.padEnd(10)} ${f.perSecond.toFixed(0).padStart(5)}/s  p50 ${f.p50.toFixed(1)} ms  p95 ${f.p95.toFixed(1)} ms  p99 ${f.p99.toFixed(1)} ms  (${f.answers} answers; load ${f.load.toFixed(2)})`;

type Seeded = { workspaceId: string; userId: string; agentId: string; warmAgentId: string };

async function seed(owner: pg.Client): Promise<Seeded> {
  const ws = await owner.query<{ id: string }>(`INSERT INTO workspaces (name, slug) VALUES ('Bench', 'bench') RETURNING id`);
  const workspaceId = ws.rows[0].id;
  const user = await owner.query<{ id: string }>(`INSERT INTO users (email, name, password_hash) VALUES ('runtime@example.test', 'Runtime owner', 'x') RETURNING id`);
  const userId = user.rows[0].id;
  // A developer holds agents.manage, which runtime:spend needs.
  await owner.query(`INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, 'developer')`, [workspaceId, userId]);
  await owner.query(`INSERT INTO model_prices (workspace_id, model, input_micros_per_mtok, output_micros_per_mtok, effective_from) VALUES ($1, $2, 0, 1000000, '2020-01-01')`, [workspaceId, MODEL]);
  const agent = (name: string, cap: number) =>
    owner.query<{ id: string }>(`INSERT INTO agents (workspace_id, name, daily_cap_micros) VALUES ($1, $2, $3) RETURNING id`, [workspaceId, name, cap]).then((r) => r.rows[0].id);
  return { workspaceId, userId, agentId: await agent("bench agent", ADMITS * COST_MICROS), warmAgentId: await agent("warm-up agent", 1_000_000_000_000) };
}

async function createKeys(owner: pg.Client, seeded: Seeded, count: number): Promise<string[]> {
  const { generateApiKey } = await import("../../lib/api-keys/api-key-token");
  const keys = Array.from({ length: count }, () => generateApiKey());
  await owner.query(
    `INSERT INTO api_keys (workspace_id, name, prefix, key_hash, scopes, created_by_id)
     SELECT $1, 'bench runtime ' || u.ord, u.prefix, u.hash, ARRAY['runtime:spend'], $2 FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS u(prefix, hash, ord)`,
    [seeded.workspaceId, seeded.userId, keys.map((k) => k.prefix), keys.map((k) => k.hash)],
  );
  return keys.map((k) => k.key);
}

/** `amount` requests over CLIENTS connections; every answer timed (an authorization refused is still one decided), statuses counted. */
function load(path: string, keys: string[] | null, amount: number): Promise<Figures> {
  const times: number[] = [];
  const statuses = new Map<number, number>();
  let nextKey = 0;
  const started = performance.now();
  return new Promise((done, fail) => {
    const instance = autocannon(
      {
        url: BASE,
        connections: CLIENTS,
        amount,
        timeout: 30,
        requests: [
          keys
            ? {
                method: "POST",
                path,
                setupRequest: (request) => ({
                  ...request,
                  headers: { authorization: `Bearer ${keys[nextKey++ % keys.length]}`, "content-type": "application/json", "idempotency-key": randomUUID() },
                  body: JSON.stringify({ model: MODEL, input_tokens: 200, max_output_tokens: OUTPUT_TOKENS }),
                }),
              }
            : { method: "GET", path },
        ],
      },
      (error) => {
        if (error) return fail(error);
        const seconds = (performance.now() - started) / 1000;
        times.sort((a, b) => a - b);
        const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] ?? NaN;
        done({ answers: times.length, perSecond: times.length / seconds, p50: pct(50), p95: pct(95), p99: pct(99), statuses, load: loadavg()[0] });
      },
    );
    instance.on("response", (_client, status: number, _bytes: number, time: number) => {
      times.push(time);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    });
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
