// `npm run bench:usage`: usage-event ingestion in events per second, in batches of
// 500, through what POST /api/v1/usage/events runs after the key is admitted: the
// JSON body parsed and validated with the route's own schema, then
// lib/usage/ingest-usage-events.ts in the workspace's transaction (the agents
// checked, one INSERT … unnest … ON CONFLICT DO NOTHING, the daily rollups from the
// inserted rows). In process, no HTTP: the figure is the ingestion path's, not the
// server's or the network's. BENCH_CLIENTS batches in flight at once; three runs of
// fresh events, then one run resending already-stored events (all duplicates).
//
// The floor, measured in each run beside it: the same events written by PostgreSQL's
// own COPY FROM STDIN (pg-copy-streams), as the owner, over the same number of
// connections, with no validation, no rollups and no spend: what the database
// itself takes to store these rows.
import { randomBytes, randomUUID } from "node:crypto";
import { availableParallelism, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { openBenchDatabase } from "./bench-database";

const BATCH = 500;
const BATCHES_PER_RUN = Number(process.env.BENCH_BATCHES ?? 200);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 4);
const RUNS = 3;
const AGENTS = 10;
const ZONES = ["UTC", "America/Los_Angeles", "Europe/Paris", "Asia/Kolkata", "Pacific/Auckland"];
const TARGET = 20_000;

type Figures = { events: number; seconds: number; perSecond: number; p50: number; p95: number; accepted: number; duplicates: number };

async function main() {
  // The budget alerts the charged calls raise are audited: the chain needs its key.
  process.env.WARDEN_MASTER_KEY ??= randomBytes(32).toString("base64");
  const { ownerUrl, close } = await openBenchDatabase();
  const owner = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  const ws = await owner.query<{ id: string }>(`INSERT INTO workspaces (name, slug) VALUES ('Bench', 'bench-usage') RETURNING id`);
  const workspaceId = ws.rows[0].id;
  const agents: string[] = [];
  for (let i = 0; i < AGENTS; i++) {
    const { rows } = await owner.query<{ id: string }>(`INSERT INTO agents (workspace_id, name, daily_cap_micros, time_zone) VALUES ($1, $2, 100000000, $3) RETURNING id::text`, [
      workspaceId,
      `agent-${i}`,
      ZONES[i % ZONES.length],
    ]);
    agents.push(rows[0].id);
  }
  const key = await owner.query<{ id: string }>(
    `INSERT INTO api_keys (workspace_id, name, prefix, key_hash, scopes) VALUES ($1, 'bench', 'wdn_live_bench', $2, '{runtime:usage}') RETURNING id::text`,
    [workspaceId, randomUUID()],
  );
  await owner.end();
  const floorClients = await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      const client = new pg.Client({ connectionString: ownerUrl });
      await client.connect();
      return client;
    }),
  );

  const { withWorkspace } = await import("../../lib/db/with-workspace");
  const { ingestUsageEvents } = await import("../../lib/usage/ingest-usage-events");
  const { usageEventsBodySchema } = await import("../../lib/usage/schemas");

  const actor = { type: "api_key" as const, id: key.rows[0].id, label: "bench (wdn_live_bench…)" };
  const context = { ip: null, userAgent: null, requestId: null };

  const body = (run: string, b: number) => {
    const at = new Date(Date.now() - 60_000).toISOString();
    const events = Array.from({ length: BATCH }, (_, i) => {
      const agent = agents[(b + i) % AGENTS];
      const id = `${run}-${b}-${i}`;
      switch (i % 4) {
        case 0:
          return { id, type: "conversation.started", agent, occurred_at: at, conversation_id: `c-${b}-${i}` };
        case 1:
          return { id, type: "turn.completed", agent, occurred_at: at, conversation_id: `c-${b}-${i - 1}` };
        case 2:
          return { id, type: "llm.call", agent, occurred_at: at, model: "gpt-4o", input_tokens: 1200, output_tokens: 300, cost: "0.0125" };
        default:
          return { id, type: "tool.invoked", agent, occurred_at: at, tool: "search" };
      }
    });
    return JSON.stringify({ events });
  };

  async function run(name: string): Promise<Figures> {
    const bodies = Array.from({ length: BATCHES_PER_RUN }, (_, b) => body(name, b));
    const latencies: number[] = [];
    let next = 0;
    let accepted = 0;
    let duplicates = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (next < bodies.length) {
          const text = bodies[next++];
          const t0 = performance.now();
          const input = usageEventsBodySchema.parse(JSON.parse(text));
          const result = await withWorkspace(workspaceId, (tx) => ingestUsageEvents(tx, { workspaceId, boundAgentId: null, events: input.events, actor, context }));
          latencies.push(performance.now() - t0);
          accepted += result.accepted;
          duplicates += result.duplicates;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const events = BATCHES_PER_RUN * BATCH;
    return { events, seconds, perSecond: events / seconds, p50: latencies[Math.floor(latencies.length * 0.5)], p95: latencies[Math.floor(latencies.length * 0.95)], accepted, duplicates };
  }

  /** The same events as `run` writes, by COPY: the database's own floor for storing them. */
  async function floor(name: string): Promise<Figures> {
    const bodies = Array.from({ length: BATCHES_PER_RUN }, (_, b) => body(`${name}-floor`, b));
    const latencies: number[] = [];
    let next = 0;
    const cell = (v: unknown) => (v === undefined || v === null ? "" : `"${String(v).replace(/"/g, '""')}"`);
    const started = performance.now();
    await Promise.all(
      floorClients.map(async (client) => {
        while (next < bodies.length) {
          const text = bodies[next++];
          const t0 = performance.now();
          const { events } = JSON.parse(text) as { events: Record<string, unknown>[] };
          const csv = events
            .map((e) =>
              [
                workspaceId,
                e.id,
                e.agent,
                e.type,
                e.occurred_at,
                String(e.occurred_at).slice(0, 10),
                e.conversation_id,
                e.model,
                e.input_tokens,
                e.output_tokens,
                e.cost === undefined ? undefined : Math.round(Number(e.cost) * 1e6),
                e.tool,
              ]
                .map(cell)
                .join(","),
            )
            .join("\n");
          await pipeline(
            Readable.from([csv]),
            client.query(
              copyFrom("COPY usage_events (workspace_id, id, agent_id, type, occurred_at, day, conversation_id, model, input_tokens, output_tokens, cost_micros, tool) FROM STDIN (FORMAT csv)"),
            ),
          );
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const events = BATCHES_PER_RUN * BATCH;
    return { events, seconds, perSecond: events / seconds, p50: latencies[Math.floor(latencies.length * 0.5)], p95: latencies[Math.floor(latencies.length * 0.95)], accepted: events, duplicates: 0 };
  }

  const line = (label: string, f: Figures) =>
    `${label.padEnd(10)} ${f.perSecond.toFixed(0).padStart(6)} events/s  (${f.events} events in ${f.seconds.toFixed(2)} s; batch p50 ${f.p50.toFixed(1)} ms, p95 ${f.p95.toFixed(1)} ms; accepted ${f.accepted}, duplicates ${f.duplicates}; load ${loadavg()[0].toFixed(2)})`;

  await run("warmup");
  const fresh: Figures[] = [];
  const floors: Figures[] = [];
  for (let i = 0; i < RUNS; i++) {
    floors.push(await floor(`run${i}`));
    fresh.push(await run(`run${i}`));
    console.log(line(`run ${i + 1}`, fresh[i]));
    console.log(line(`  floor`, floors[i]));
  }
  const retried = await run("run0");
  console.log(line("retried", retried));
  const medianOf = (list: Figures[]) => list.map((f) => f.perSecond).sort((a, b) => a - b)[Math.floor(RUNS / 2)];
  const median = medianOf(fresh);
  const floorMedian = medianOf(floors);
  console.log("");
  console.log(`batches of ${BATCH}, ${CLIENTS} in flight, ${AGENTS} agents in ${ZONES.length} zones, ${availableParallelism()} cores, in process (no HTTP)`);
  console.log(`median fresh: ${median.toFixed(0)} events/s (target >= ${TARGET}); all-duplicate resend: ${retried.perSecond.toFixed(0)} events/s`);
  console.log(`median COPY floor: ${floorMedian.toFixed(0)} events/s; ingestion at ${(floorMedian / median).toFixed(2)}x the floor's time`);
  await Promise.all(floorClients.map((client) => client.end()));
  const wrong = fresh.some((f) => f.accepted !== f.events) || retried.accepted !== 0;
  if (wrong) console.log("MISCOUNT: a fresh event was not accepted, or a resent one was");
  await close();
  process.exit(wrong ? 1 : 0);
}

void main();
