// `npm run bench:audit`: p50/p95 server time of the audit log's pages (first page,
// by actor, by action, last 24 hours, 50 cursors deep) at 100,000 and again at
// 1,000,000 events across 10 workspaces, then the export of all 1,000,000 rows
// as CSV and JSON Lines: rows per second and the process's peak RSS meanwhile.
// Rows go in through the one audit writer and its keyed chain, as in production.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { availableParallelism, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import pg from "pg";
import type { AuditAction } from "../../lib/audit/audit-actions";
import { openBenchDatabase } from "./bench-database";
import { KEY_ACTIONS, lookup, USER_ACTIONS } from "./audit-event-mix";

const WORKSPACES = 10;
const EVENTS_PER_WORKSPACE = 100_000;
const FIRST_STAGE = 10_000; // per workspace: the oldest 10% of the timeline
const MEMBERS = 50;
const KEYS = 2;
const SPAN_MS = 90 * 86_400_000; // a constant event rate: 100,000 events over 90 days
const STEP_SECONDS = SPAN_MS / 1000 / EVENTS_PER_WORKSPACE;
const ROWS_PER_STATEMENT_PER_WORKSPACE = 1_000;
const RUNS = 40;
const WARM_UP_PASSES = 2; // over every workspace, before each scenario is timed
const LIMIT = 50;
const DEEP = 50;
const FILTER_ACTOR = 10; // by construction the 11th most active member of each workspace (~2% of its events)
const FILTER_ACTION: AuditAction = "member.role_changed";
const PAGE_P95_MS = 50;
const MAX_GROWTH = 1.5;
const EXPORT_ROWS_PER_SECOND = 100_000;
const EXPORT_PEAK_RSS_MB = 300;
const EXPORT_HEAP_CAP_MB = 192;

// Events g..g+n of every workspace, drawn in SQL (workspace n is offset by n/10 of
// a step), then appended through the writer a few at a time per workspace, round
// robin, so the table interleaves workspaces in time order as a live instance does.
const DRAW_EVENTS = `
  WITH draw AS (
    SELECT w.id AS workspace_id, w.n::int AS n, g,
           $6::timestamptz + ((g - 1) + (w.n - 1) / 10.0) * $7::float8 * interval '1 second' AS occurred_at,
           random() AS r_kind, random() AS r_actor, random() AS r_action, random() AS r_target, random() AS r_extra
    FROM unnest($1::uuid[]) WITH ORDINALITY AS w(id, n), generate_series($8::int, $9::int) AS g
  ), actor AS (
    SELECT d.*,
           CASE WHEN g = 1 OR r_kind >= 0.08 THEN 'user' ELSE 'api_key' END AS actor_type,
           CASE WHEN g = 1 OR r_kind >= 0.08 THEN floor(${MEMBERS} * r_actor ^ 2)::int ELSE floor(${KEYS} * r_actor)::int END AS k
    FROM draw d
  ), event AS (
    SELECT a.*,
           CASE WHEN actor_type = 'user' THEN ($2::uuid[])[(n - 1) * ${MEMBERS} + k + 1] ELSE ($3::uuid[])[(n - 1) * ${KEYS} + k + 1] END AS actor_id,
           CASE WHEN g = 1 THEN 'workspace.created'
                WHEN actor_type = 'user' THEN ($4::text[])[1 + floor(r_action * 1000)::int]
                ELSE ($5::text[])[1 + floor(r_action * 1000)::int] END AS action
    FROM actor a
  )
  SELECT workspace_id::text, occurred_at, actor_type, actor_id::text,
         CASE WHEN actor_type = 'user' THEN 'member-' || k || '@ws' || n || '.example.test' ELSE (ARRAY['ci-deploy', 'scim-sync'])[k + 1] END AS actor_label,
         action,
         CASE split_part(action, '.', 1) WHEN 'member' THEN 'user' WHEN 'auth' THEN 'user' WHEN 'mfa' THEN 'user'
              WHEN 'session' THEN 'session' WHEN 'api_key' THEN 'api_key' ELSE 'workspace' END AS target_type,
         CASE split_part(action, '.', 1) WHEN 'member' THEN (($2::uuid[])[(n - 1) * ${MEMBERS} + 1 + floor(r_target * ${MEMBERS})::int])::text
              WHEN 'auth' THEN actor_id::text WHEN 'mfa' THEN actor_id::text WHEN 'session' THEN gen_random_uuid()::text
              WHEN 'api_key' THEN (($3::uuid[])[(n - 1) * ${KEYS} + 1 + floor(r_target * ${KEYS})::int])::text ELSE workspace_id::text END AS target_id,
         CASE WHEN action = 'auth.sign_in_failed' THEN '203.0.113.' || (1 + floor(r_target * 254)::int)
              WHEN actor_type = 'api_key' THEN '192.0.2.' || (10 + k) ELSE '198.51.100.' || (1 + (k * 7 + n) % 254) END AS ip,
         CASE WHEN actor_type = 'api_key' THEN 'warden-cli/1.4.2'
              ELSE (ARRAY['Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/17.5',
                          'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36',
                          'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
                          'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Mobile/15E148'])[1 + (k % 4)] END AS user_agent,
         'req_' || substr(md5(workspace_id::text || ':' || g), 1, 20) AS request_id,
         CASE action
           WHEN 'auth.sign_in_succeeded' THEN jsonb_build_object('method', CASE WHEN r_extra < 0.8 THEN 'password' ELSE 'sso' END, 'mfa', r_extra < 0.6)
           WHEN 'auth.sign_in_failed' THEN jsonb_build_object('reason', CASE WHEN r_extra < 0.9 THEN 'bad_password' ELSE 'locked' END)
           WHEN 'member.role_changed' THEN jsonb_build_object('from', 'viewer', 'to', CASE WHEN r_extra < 0.5 THEN 'developer' ELSE 'editor' END)
           WHEN 'member.invited' THEN jsonb_build_object('role', 'developer', 'email', 'invitee-' || g || '@example.test')
           WHEN 'audit.exported' THEN jsonb_build_object('format', CASE WHEN r_extra < 0.7 THEN 'csv' ELSE 'jsonl' END)
           ELSE '{}'::jsonb END AS metadata
  FROM event
  ORDER BY g, n`;

type DrawnEvent = {
  workspace_id: string;
  occurred_at: Date;
  actor_type: "user" | "api_key";
  actor_id: string;
  actor_label: string;
  action: AuditAction;
  target_type: string;
  target_id: string;
  ip: string;
  user_agent: string;
  request_id: string;
  metadata: Record<string, unknown>;
};
const EVENTS_PER_APPEND = 100;

type Workspace = { id: string; actor: string };

async function main() {
  const { ownerUrl, close } = await openBenchDatabase();
  // A failed run must not leave its PostgreSQL behind.
  try {
    await run(ownerUrl);
  } finally {
    await close();
  }
  process.exit(0);
}

async function run(ownerUrl: string) {
  // The chain is keyed with the master key; verification at the end uses the same one.
  process.env.WARDEN_MASTER_KEY ??= randomBytes(32).toString("base64");
  const { recordAuditEvents } = await import("../../lib/audit/record-audit-event");
  const auditKey = (await import("../../lib/audit/audit-chain-keys")).configuredAuditKeyring().current;
  const owner = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  await owner.query("SELECT setseed(0.2026)");

  const workspaces: Workspace[] = [];
  const memberIds: string[] = [];
  const keyIds: string[] = [];
  for (let n = 1; n <= WORKSPACES; n++) {
    const ws = await owner.query<{ id: string }>(`INSERT INTO workspaces (name, slug) VALUES ($1, $2) RETURNING id`, [`Bench ${n}`, `bench-${n}`]);
    const members = Array.from({ length: MEMBERS }, () => crypto.randomUUID());
    memberIds.push(...members);
    keyIds.push(...Array.from({ length: KEYS }, () => crypto.randomUUID()));
    workspaces.push({ id: ws.rows[0].id, actor: `user:${members[FILTER_ACTOR]}` });
  }
  const timelineStart = new Date(Date.now() - SPAN_MS);
  const userActions = lookup(USER_ACTIONS);
  const keyActions = lookup(KEY_ACTIONS);

  async function load(from: number, to: number): Promise<Date> {
    const t = performance.now();
    for (let g = from; g <= to; g += ROWS_PER_STATEMENT_PER_WORKSPACE) {
      const last = Math.min(to, g + ROWS_PER_STATEMENT_PER_WORKSPACE - 1);
      const drawn = await owner.query<DrawnEvent>(DRAW_EVENTS, [workspaces.map((w) => w.id), memberIds, keyIds, userActions, keyActions, timelineStart, STEP_SECONDS, g, last]);
      const perWorkspace = new Map<string, DrawnEvent[]>(workspaces.map((w) => [w.id, []]));
      for (const row of drawn.rows) perWorkspace.get(row.workspace_id)!.push(row);
      for (let offset = 0; offset <= last - g; offset += EVENTS_PER_APPEND) {
        for (const [workspaceId, rows] of perWorkspace) {
          await owner.query("BEGIN");
          await owner.query("SELECT set_config('app.workspace_id', $1, true)", [workspaceId]);
          await recordAuditEvents(
            owner,
            rows.slice(offset, offset + EVENTS_PER_APPEND).map((r) => ({
              workspaceId,
              occurredAt: r.occurred_at,
              action: r.action,
              metadata: r.metadata,
              actor: { type: r.actor_type, id: r.actor_id, label: r.actor_label },
              target: { type: r.target_type, id: r.target_id },
              context: { ip: r.ip, userAgent: r.user_agent, requestId: r.request_id },
            })),
            auditKey,
          );
          await owner.query("COMMIT");
        }
      }
    }
    const rows = (to - from + 1) * WORKSPACES;
    const seconds = (performance.now() - t) / 1000;
    const a = performance.now();
    // Autovacuum would otherwise start on the fresh rows in the middle of the timings;
    // a live table of this size has been vacuumed and analysed.
    await owner.query("VACUUM (ANALYZE) audit_events");
    console.log(`loaded ${fmt(rows)} events in ${seconds.toFixed(1)} s (${fmt(rows / seconds)} rows/s through the audit writer); VACUUM (ANALYZE) ${((performance.now() - a) / 1000).toFixed(1)} s`);
    const latest = await owner.query<{ at: Date }>(`SELECT max(occurred_at) AS at FROM audit_events`);
    return latest.rows[0].at;
  }

  const { withWorkspace } = await import("../../lib/db/with-workspace");
  const { listAuditEvents } = await import("../../lib/audit/list-audit-events");
  const { auditFilterSchema } = await import("../../lib/audit/schemas");

  async function matches(now: Date): Promise<string> {
    const r = await owner.query<{ actor: string; action: string; day: string }>(
      `SELECT round(avg(actor)) AS actor, round(avg(action)) AS action, round(avg(day)) AS day FROM (
         SELECT count(*) FILTER (WHERE e.actor_id = w.actor) AS actor,
                count(*) FILTER (WHERE e.action = $3) AS action,
                count(*) FILTER (WHERE e.occurred_at >= $4::timestamptz - interval '24 hours') AS day
         FROM unnest($1::uuid[], $2::uuid[]) AS w(id, actor) JOIN audit_events e ON e.workspace_id = w.id
         GROUP BY w.id) per_workspace`,
      [workspaces.map((w) => w.id), workspaces.map((w) => w.actor.slice("user:".length)), FILTER_ACTION, now],
    );
    const { actor, action, day } = r.rows[0];
    return `matches per workspace: actor ${fmt(+actor)}, action ${fmt(+action)}, 24h ${fmt(+day)}`;
  }

  async function measure(label: string, now: Date): Promise<Map<string, number[]>> {
    const page = (w: Workspace, filters: Record<string, unknown>, before?: bigint) =>
      withWorkspace(w.id, (tx) => listAuditEvents(tx, { workspaceId: w.id, filters: auditFilterSchema.parse(filters), position: before === undefined ? undefined : { before }, limit: LIMIT, now }));
    const deepCursor = new Map<string, bigint>();
    for (const w of workspaces) {
      let cursor: string | null = (await page(w, {})).olderCursor;
      for (let i = 1; i < DEEP && cursor; i++) cursor = (await page(w, {}, BigInt(cursor))).olderCursor;
      if (!cursor) throw new Error("fewer than 50 pages in a workspace");
      deepCursor.set(w.id, BigInt(cursor));
    }
    const scenarios: Record<string, (w: Workspace) => Promise<unknown>> = {
      "first page": (w) => page(w, {}),
      [`actor (member #${FILTER_ACTOR + 1})`]: (w) => page(w, { actor: w.actor }),
      [`action ${FILTER_ACTION}`]: (w) => page(w, { action: [FILTER_ACTION] }),
      "range 24h": (w) => page(w, { range: "24h" }),
      [`${DEEP} cursors deep`]: (w) => page(w, {}, deepCursor.get(w.id)),
    };
    const times = new Map<string, number[]>();
    for (const [name, run] of Object.entries(scenarios)) {
      for (let i = 0; i < WARM_UP_PASSES * WORKSPACES; i++) await run(workspaces[i % WORKSPACES]);
      const samples: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        await run(workspaces[i % WORKSPACES]);
        samples.push(performance.now() - t);
      }
      times.set(
        name,
        samples.sort((a, b) => a - b),
      );
    }
    console.log(`${label}: ${await matches(now)}; ${machine()}`);
    return times;
  }

  const now1 = await load(1, FIRST_STAGE);
  const small = await measure("100k", now1);
  const now2 = await load(FIRST_STAGE + 1, EVENTS_PER_WORKSPACE);
  const large = await measure("1M", now2);
  await owner.end();

  console.log(`\n${WORKSPACES} workspaces, ${RUNS} runs per scenario (rotating workspaces), page size ${LIMIT}, server time of the whole withWorkspace call`);
  console.log(`targets: p95 ≤ ${PAGE_P95_MS} ms at both sizes and growth ≤ ${MAX_GROWTH}×; export ≥ ${fmt(EXPORT_ROWS_PER_SECOND)} rows/s with peak RSS ≤ ${EXPORT_PEAK_RSS_MB} MB\n`);
  console.log("| scenario | 100k p50 | 100k p95 | 1M p50 | 1M p95 | growth (p95) | target |");
  console.log("|---|---:|---:|---:|---:|---:|---|");
  for (const [name, a] of small) {
    const b = large.get(name)!;
    const growth = pct(b, 0.95) / pct(a, 0.95);
    const pass = pct(a, 0.95) <= PAGE_P95_MS && pct(b, 0.95) <= PAGE_P95_MS && growth <= MAX_GROWTH;
    console.log(`| ${name} | ${ms(a, 0.5)} | ${ms(a, 0.95)} | ${ms(b, 0.5)} | ${ms(b, 0.95)} | ${growth.toFixed(2)}× | ${verdict(pass)} |`);
  }

  console.log(`\n${machine()}`);
  // V8 sizes its heap from the machine (24 GB here) and collects lazily, so the
  // same flat export shows a higher peak under the default heap than under a cap
  // a server would run with; both are printed.
  for (const heap of [null, EXPORT_HEAP_CAP_MB]) {
    for (const format of ["csv", "jsonl"] as const) {
      const result = measureExport(
        format,
        workspaces.map((w) => w.id),
        now2,
        heap,
      );
      const rows = format === "csv" ? result.lines - WORKSPACES : result.lines; // one header line per workspace file
      const expected = WORKSPACES * EVENTS_PER_WORKSPACE;
      if (rows !== expected) throw new Error(`${format} export produced ${rows} rows, expected ${expected}`);
      const rate = rows / result.seconds;
      const peakMb = result.peakRss / 2 ** 20;
      console.log(
        `export ${format.padEnd(5)} ${heap ? `heap cap ${heap} MB` : "default heap   "} ${fmt(rows)} rows, ${(result.bytes / 2 ** 20).toFixed(0)} MB in ${result.seconds.toFixed(1)} s: ` +
          `${fmt(rate)} rows/s ${verdict(rate >= EXPORT_ROWS_PER_SECOND)}, ` +
          `peak RSS ${peakMb.toFixed(0)} MB ${verdict(peakMb <= EXPORT_PEAK_RSS_MB)} (${(result.baselineRss / 2 ** 20).toFixed(0)} MB before the first byte)`,
      );
    }
  }

  // Not a target, but what an owner waits for behind "Verify integrity".
  const { verifyAuditChain } = await import("../../lib/audit/verify-audit-chain");
  const started = performance.now();
  const verified = await verifyAuditChain({ workspaceId: workspaces[0].id });
  const seconds = (performance.now() - started) / 1000;
  console.log(`verify one workspace: ${verified.status}, ${fmt(verified.count)} events in ${seconds.toFixed(1)} s (${fmt(verified.count / seconds)} events/s)`);
}

type ExportMeasurement = { bytes: number; lines: number; seconds: number; baselineRss: number; peakRss: number };

/** Each export runs in its own fresh process (measure-export.ts), so its peak RSS is its own. */
function measureExport(format: "csv" | "jsonl", workspaceIds: string[], now: Date, heapCapMb: number | null): ExportMeasurement {
  const heap = heapCapMb ? [`--max-old-space-size=${heapCapMb}`] : [];
  const output = execFileSync(process.execPath, [...heap, "--import", "tsx", "scripts/bench/measure-export.ts", format, workspaceIds.join(","), now.toISOString()], {
    env: process.env,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  return JSON.parse(output.trim().split("\n").pop()!) as ExportMeasurement;
}

const verdict = (pass: boolean) => (pass ? "PASS" : "FAIL");
// Shared machines make timings noisy: say how busy this one was.
const machine = () =>
  `${availableParallelism()} cores, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`;
const pct = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const ms = (sorted: number[], q: number) => `${pct(sorted, q).toFixed(1)} ms`;
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
