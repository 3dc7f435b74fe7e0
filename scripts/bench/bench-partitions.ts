// `npm run bench:partitions`: the audit log page's queries at 10,000,000 events in
// one workspace, against audit_events as it is and against a copy partitioned by
// month of occurred_at (audit_events_by_month), side by side: p50/p95 of the whole
// transaction the page runs (BEGIN, set_config('app.workspace_id'), the keyset
// query, COMMIT) as the application role under RLS, table and index sizes, the
// COPY's rows/s, and EXPLAIN ANALYZE of one query per scenario and table.
//
// The rows are drawn in SQL (`COPY (SELECT … generate_series …) TO STDOUT`) and
// streamed into `COPY audit_events FROM STDIN`, as the superuser with
// session_replication_role = replica so that the BEFORE INSERT chain trigger (and
// the foreign key's trigger) do not fire: seq is numbered in time order and the
// hash columns are filler of the right shape, since the page never verifies the
// chain. The indexes are dropped for the load and built afterwards, as a bulk load
// into an empty table would do. The database is dropped at the end, and on failure.
// BENCH_PARTITION_EVENTS overrides the 10,000,000.
import { availableParallelism, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import type { AuditAction } from "../../lib/audit/audit-actions";
import { AUDIT_RANGES } from "../../lib/audit/schemas";
import { openBenchDatabase } from "./bench-database";
import { KEY_ACTIONS, lookup, USER_ACTIONS } from "./audit-event-mix";

const EVENTS = Number(process.env.BENCH_PARTITION_EVENTS ?? 10_000_000);
const CHUNK = 1_000_000; // rows per COPY, so progress shows
const MONTHS = 24;
const MEMBERS = 200;
const KEYS = 3;
const RUNS = 40;
const WARM_UP = 5;
const LIMIT = 50;
const DEEP = 50;
const FILTER_ACTION: AuditAction = "member.role_changed"; // ~0.6% of events

/** A SQL array literal of constants (COPY (query) takes no parameters). */
const array = (values: string[], type: string) => `ARRAY[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(",")}]::${type}[]`;

const COLUMNS = `workspace_id, occurred_at, actor_type, actor_id, actor_label, action, target_type, target_id, ip, user_agent, request_id, metadata, seq, prev_hash, hash, key_id`;

/** Events g = from..to of the one workspace, seq = g, spread evenly from `start` at `step` seconds. */
function drawEvents(o: { workspaceId: string; members: string[]; keys: string[]; start: Date; step: number; from: number; to: number }): string {
  const members = array(o.members, "uuid");
  const keys = array(o.keys, "uuid");
  return `
  WITH draw AS (
    SELECT g, '${o.start.toISOString()}'::timestamptz + (g - 1) * ${o.step}::float8 * interval '1 second' AS occurred_at,
           random() AS r_kind, random() AS r_actor, random() AS r_action, random() AS r_target, random() AS r_extra
    FROM generate_series(${o.from}::bigint, ${o.to}::bigint) AS g
  ), actor AS (
    SELECT d.*,
           CASE WHEN g = 1 OR r_kind >= 0.08 THEN 'user' ELSE 'api_key' END AS actor_type,
           CASE WHEN g = 1 OR r_kind >= 0.08 THEN floor(${MEMBERS} * r_actor ^ 2)::int ELSE floor(${KEYS} * r_actor)::int END AS k
    FROM draw d
  ), event AS (
    SELECT a.*,
           CASE WHEN actor_type = 'user' THEN (${members})[k + 1] ELSE (${keys})[k + 1] END AS actor_id,
           CASE WHEN g = 1 THEN 'workspace.created'
                WHEN actor_type = 'user' THEN (${array(lookup(USER_ACTIONS), "text")})[1 + floor(r_action * 1000)::int]
                ELSE (${array(lookup(KEY_ACTIONS), "text")})[1 + floor(r_action * 1000)::int] END AS action
    FROM actor a
  )
  SELECT '${o.workspaceId}'::uuid, occurred_at, actor_type, actor_id,
         CASE WHEN actor_type = 'user' THEN 'member-' || k || '@bench.example.test' ELSE (ARRAY['ci-deploy', 'scim-sync', 'terraform'])[k + 1] END,
         action,
         CASE split_part(action, '.', 1) WHEN 'member' THEN 'user' WHEN 'auth' THEN 'user' WHEN 'mfa' THEN 'user'
              WHEN 'session' THEN 'session' WHEN 'api_key' THEN 'api_key' ELSE 'workspace' END,
         CASE split_part(action, '.', 1) WHEN 'member' THEN ((${members})[1 + floor(r_target * ${MEMBERS})::int])::text
              WHEN 'auth' THEN actor_id::text WHEN 'mfa' THEN actor_id::text WHEN 'session' THEN gen_random_uuid()::text
              WHEN 'api_key' THEN ((${keys})[1 + floor(r_target * ${KEYS})::int])::text ELSE '${o.workspaceId}' END,
         CASE WHEN action = 'auth.sign_in_failed' THEN '203.0.113.' || (1 + floor(r_target * 254)::int)
              WHEN actor_type = 'api_key' THEN '192.0.2.' || (10 + k) ELSE '198.51.100.' || (1 + k % 254) END,
         CASE WHEN actor_type = 'api_key' THEN 'warden-cli/1.4.2'
              ELSE (ARRAY['Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/17.5',
                          'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36',
                          'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
                          'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Mobile/15E148'])[1 + (k % 4)] END,
         'req_' || substr(md5(g::text), 1, 20),
         CASE action
           WHEN 'auth.sign_in_succeeded' THEN jsonb_build_object('method', CASE WHEN r_extra < 0.8 THEN 'password' ELSE 'sso' END, 'mfa', r_extra < 0.6)
           WHEN 'auth.sign_in_failed' THEN jsonb_build_object('reason', CASE WHEN r_extra < 0.9 THEN 'bad_password' ELSE 'locked' END)
           WHEN 'member.role_changed' THEN jsonb_build_object('from', 'viewer', 'to', CASE WHEN r_extra < 0.5 THEN 'developer' ELSE 'editor' END)
           WHEN 'member.invited' THEN jsonb_build_object('role', 'developer', 'email', 'invitee-' || g || '@example.test')
           WHEN 'audit.exported' THEN jsonb_build_object('format', CASE WHEN r_extra < 0.7 THEN 'csv' ELSE 'jsonl' END)
           ELSE '{}'::jsonb END,
         g,
         lpad(to_hex(g - 1), 64, '0'),
         lpad(to_hex(g), 64, '0'),
         'bench'
  FROM event`;
}

type Index = { name: string; def: string };

async function main() {
  const { ownerUrl, close } = await openBenchDatabase();
  const database = new URL(ownerUrl).pathname.slice(1);
  const dropDatabase = async () => {
    const server = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL ?? ownerUrl.replace(/\/[^/?]+(\?|$)/, "/postgres$1") });
    await server.connect();
    await server.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await server.end();
    console.log(`dropped database ${database}`);
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      void dropDatabase().finally(() => process.exit(130));
    });
  }
  let failed = false;
  try {
    await run(ownerUrl);
  } catch (error) {
    console.error(error);
    failed = true;
  } finally {
    await dropDatabase().catch((error) => console.error("could not drop the bench database:", error));
    await close();
  }
  process.exit(failed ? 1 : 0);
}

async function run(ownerUrl: string) {
  console.log(`${fmt(EVENTS)} events in one workspace over ${MONTHS} months; ${machine()}`);
  const owner = new pg.Client({ connectionString: ownerUrl });
  const source = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  await source.connect();
  await owner.query("SET maintenance_work_mem = '1GB'");
  const superuser = (await owner.query<{ s: string }>("SELECT current_setting('is_superuser') AS s")).rows[0].s === "on";
  if (!superuser) throw new Error("the load needs a superuser (session_replication_role); TEST_DATABASE_URL's user is not one");

  const ws = await owner.query<{ id: string }>(`INSERT INTO workspaces (name, slug) VALUES ('Bench partitions', 'bench-partitions') RETURNING id`);
  const workspaceId = ws.rows[0].id;
  const members = Array.from({ length: MEMBERS }, () => crypto.randomUUID());
  const keys = Array.from({ length: KEYS }, () => crypto.randomUUID());
  const now = new Date();
  const span = (MONTHS * 365.25 * 86_400_000) / 12;
  const start = new Date(now.getTime() - span);
  const step = span / 1000 / EVENTS;

  // 1. The load: drop the indexes, COPY, build the indexes, VACUUM (ANALYZE).
  const indexes = (await owner.query<Index>(`SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'audit_events' ORDER BY indexname`)).rows;
  const pkey = indexes.find((i) => i.name === "audit_events_pkey");
  await owner.query(`ALTER TABLE audit_events DROP CONSTRAINT audit_events_pkey`);
  for (const i of indexes) if (i !== pkey) await owner.query(`DROP INDEX public."${i.name}"`);
  await owner.query("SET session_replication_role = replica");
  console.log(`load: as superuser with session_replication_role = replica (no chain trigger, no FK trigger); ${indexes.length} indexes dropped for the load and rebuilt after`);
  const loadStarted = performance.now();
  for (let from = 1; from <= EVENTS; from += CHUNK) {
    const to = Math.min(EVENTS, from + CHUNK - 1);
    const t = performance.now();
    const out = source.query(copyTo(`COPY (${drawEvents({ workspaceId, members, keys, start, step, from, to })}) TO STDOUT`));
    const into = owner.query(copyFrom(`COPY audit_events (${COLUMNS}) FROM STDIN`));
    await pipeline(out, into);
    const s = (performance.now() - t) / 1000;
    console.log(`  COPY rows ${fmt(from)}..${fmt(to)}: ${s.toFixed(1)} s (${fmt((to - from + 1) / s)} rows/s); load ${loadavg()[0].toFixed(1)}`);
  }
  const copySeconds = (performance.now() - loadStarted) / 1000;
  await owner.query("SET session_replication_role = DEFAULT");
  let t = performance.now();
  await owner.query(`ALTER TABLE audit_events ADD CONSTRAINT audit_events_pkey PRIMARY KEY (id)`);
  for (const i of indexes) if (i !== pkey) await owner.query(i.def);
  const indexSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  await owner.query("VACUUM (ANALYZE) audit_events");
  const vacuumSeconds = (performance.now() - t) / 1000;
  console.log(
    `audit_events: COPY ${fmt(EVENTS)} rows in ${copySeconds.toFixed(1)} s (${fmt(EVENTS / copySeconds)} rows/s, rows drawn in SQL and streamed through this process), ` +
      `${indexes.length} indexes built in ${indexSeconds.toFixed(1)} s, VACUUM (ANALYZE) ${vacuumSeconds.toFixed(1)} s; ${machine()}`,
  );

  // 2. The same rows in a table partitioned by month of occurred_at, same indexes
  // (a unique index on a partitioned table must include the partition key: the
  // primary key becomes (id, occurred_at) and (workspace_id, seq) is not unique there).
  t = performance.now();
  await owner.query(`CREATE TABLE audit_events_by_month (LIKE audit_events INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY RANGE (occurred_at)`);
  const months = (
    await owner.query<{ lo: Date; hi: Date }>(
      `SELECT m AS lo, m + interval '1 month' AS hi FROM generate_series(date_trunc('month', (SELECT min(occurred_at) FROM audit_events), 'UTC'),
                                                                          date_trunc('month', $1::timestamptz + interval '1 month', 'UTC'), interval '1 month') AS m`,
      [now],
    )
  ).rows;
  for (const m of months) {
    const name = `audit_events_${m.lo.toISOString().slice(0, 7).replace("-", "_")}`;
    await owner.query(`CREATE TABLE ${name} PARTITION OF audit_events_by_month FOR VALUES FROM ('${m.lo.toISOString()}') TO ('${m.hi.toISOString()}')`);
  }
  await owner.query(`INSERT INTO audit_events_by_month SELECT * FROM audit_events`);
  const fillSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  await owner.query(`ALTER TABLE audit_events_by_month ADD PRIMARY KEY (id, occurred_at)`);
  for (const i of indexes) {
    if (i === pkey) continue;
    await owner.query(
      i.def
        .replace(/^CREATE UNIQUE INDEX/, "CREATE INDEX")
        .replace(` ${i.name} `, ` ${i.name.replace("audit_events", "audit_events_by_month")} `)
        .replace(" ON public.audit_events ", " ON public.audit_events_by_month "),
    );
  }
  const partIndexSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  await owner.query("VACUUM (ANALYZE) audit_events_by_month");
  // Autovacuum never analyses a partitioned parent: ANALYZE it for the planner's row estimates.
  await owner.query("ANALYZE audit_events_by_month");
  const partVacuumSeconds = (performance.now() - t) / 1000;
  const policies = (
    await owner.query<{ name: string; qual: string }>(
      `SELECT policyname AS name, qual FROM pg_policies WHERE schemaname = 'public' AND tablename = 'audit_events' AND roles = '{public}' AND cmd IN ('ALL', 'SELECT')`,
    )
  ).rows;
  if (policies.length === 0) throw new Error("no workspace policy found on audit_events");
  await owner.query(`ALTER TABLE audit_events_by_month ENABLE ROW LEVEL SECURITY`);
  await owner.query(`ALTER TABLE audit_events_by_month FORCE ROW LEVEL SECURITY`);
  for (const p of policies) await owner.query(`CREATE POLICY "${p.name}" ON audit_events_by_month FOR SELECT USING (${p.qual})`);
  const appRole = decodeURIComponent(new URL(process.env.APP_DATABASE_URL!).username);
  await owner.query(`GRANT SELECT ON audit_events_by_month TO "${appRole}"`);
  console.log(
    `audit_events_by_month: ${months.length} monthly partitions, INSERT … SELECT ${fillSeconds.toFixed(1)} s (${fmt(EVENTS / fillSeconds)} rows/s), ` +
      `indexes ${partIndexSeconds.toFixed(1)} s, VACUUM (ANALYZE) ${partVacuumSeconds.toFixed(1)} s; RLS enabled and forced with ${policies.map((p) => p.name).join(", ")}; ${machine()}`,
  );

  const sizes = await owner.query<{ rel: string; heap: string; idx: string }>(
    `SELECT 'audit_events' AS rel, pg_table_size('audit_events') AS heap, pg_indexes_size('audit_events') AS idx
     UNION ALL
     SELECT 'audit_events_by_month', sum(pg_table_size(relid)), sum(pg_indexes_size(relid)) FROM pg_partition_tree('audit_events_by_month') WHERE isleaf`,
  );
  const size = new Map(sizes.rows.map((r) => [r.rel, r]));

  // 3. The page's queries, as listAuditEvents + auditWhere build them (Prisma selects
  // every column: WHERE workspace_id = $1 [AND filters] [AND seq < cursor] ORDER BY seq DESC LIMIT 51).
  const newest = await owner.query<{ seq: string; n: string; action: string; yearAgo: string; yearAgoAt: Date }>(
    `SELECT (SELECT max(seq) FROM audit_events WHERE workspace_id = $1) AS seq,
            (SELECT count(*) FROM audit_events WHERE workspace_id = $1) AS n,
            (SELECT count(*) FROM audit_events WHERE workspace_id = $1 AND action = $2) AS action,
            (SELECT seq FROM audit_events WHERE workspace_id = $1 AND occurred_at <= $3::timestamptz - interval '1 year' ORDER BY occurred_at DESC LIMIT 1) AS "yearAgo",
            (SELECT occurred_at FROM audit_events WHERE workspace_id = $1 AND occurred_at <= $3::timestamptz - interval '1 year' ORDER BY occurred_at DESC LIMIT 1) AS "yearAgoAt"`,
    [workspaceId, FILTER_ACTION, now],
  );
  const { seq: maxSeq, action: actionCount, yearAgo, yearAgoAt } = newest.rows[0];
  const deepCursor = (BigInt(maxSeq) - BigInt(DEEP * LIMIT)).toString(); // below the 2,500th newest
  console.log(
    `${FILTER_ACTION}: ${fmt(+actionCount)} events (${((100 * +actionCount) / +newest.rows[0].n).toFixed(2)}%); newest seq ${maxSeq}; a year ago: seq ${yearAgo} at ${yearAgoAt.toISOString()}`,
  );

  const day = new Date(now.getTime() - AUDIT_RANGES["24h"]);
  const month = new Date(now.getTime() - AUDIT_RANGES["30d"]);
  type Scenario = { name: string; where: string; params: unknown[] };
  const scenarios: Scenario[] = [
    { name: "first page", where: "", params: [] },
    { name: `action ${FILTER_ACTION}`, where: `AND action IN ($2)`, params: [FILTER_ACTION] },
    { name: "range 24h", where: `AND occurred_at >= $2`, params: [day] },
    { name: `range 30d + action`, where: `AND action IN ($2) AND occurred_at >= $3`, params: [FILTER_ACTION, month] },
    { name: `${DEEP} cursors deep`, where: `AND seq < $2`, params: [deepCursor] },
    { name: "a year back (before = seq then)", where: `AND seq < $2`, params: [yearAgo] },
    // What partitioning needs for seq keysets: a time bound derived from the cursor
    // (the cursor event's occurred_at; seq and occurred_at rise together within a workspace).
    { name: "a year back + occurred_at ≤ cursor's", where: `AND seq < $2 AND occurred_at <= $3`, params: [yearAgo, yearAgoAt] },
  ];
  const sql = (table: string, s: Scenario) => `SELECT * FROM public.${table} WHERE workspace_id = $1 ${s.where} ORDER BY seq DESC LIMIT ${LIMIT + 1}`;

  const app = new pg.Client({ connectionString: process.env.APP_DATABASE_URL });
  await app.connect();
  async function page(table: string, s: Scenario): Promise<number> {
    await app.query("BEGIN");
    await app.query(`SELECT set_config('app.workspace_id', $1, true)`, [workspaceId]);
    const r = await app.query(sql(table, s), [workspaceId, ...s.params]);
    await app.query("COMMIT");
    return r.rowCount ?? 0;
  }
  async function explain(table: string, s: Scenario): Promise<string> {
    await app.query("BEGIN");
    await app.query(`SELECT set_config('app.workspace_id', $1, true)`, [workspaceId]);
    const r = await app.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${sql(table, s)}`, [workspaceId, ...s.params]);
    await app.query("COMMIT");
    const lines = r.rows.map((row) => row["QUERY PLAN"]);
    const scans = lines.filter((l) => / on audit_events_\d{4}_\d{2} /.test(l));
    const summary = table === "audit_events" ? "" : `\npartitions in the plan: ${scans.length}, of which never executed: ${scans.filter((l) => l.includes("never executed")).length}`;
    return lines.join("\n") + summary;
  }
  // A floor measured in the same run: the transaction around a query that reads nothing.
  const floorSamples: number[] = [];
  for (let i = 0; i < WARM_UP + RUNS; i++) {
    const started = performance.now();
    await app.query("BEGIN");
    await app.query(`SELECT set_config('app.workspace_id', $1, true)`, [workspaceId]);
    await app.query("SELECT 1");
    await app.query("COMMIT");
    if (i >= WARM_UP) floorSamples.push(performance.now() - started);
  }
  floorSamples.sort((a, b) => a - b);

  const results: { name: string; rows: number; plain: number[]; parts: number[] }[] = [];
  const plans: string[] = [];
  for (const s of scenarios) {
    const times: Record<string, number[]> = {};
    let rows = 0;
    for (const table of ["audit_events", "audit_events_by_month"]) {
      for (let i = 0; i < WARM_UP; i++) rows = await page(table, s);
      const samples: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const started = performance.now();
        await page(table, s);
        samples.push(performance.now() - started);
      }
      times[table] = samples.sort((a, b) => a - b);
      plans.push(`--- ${s.name} on ${table}\n${sql(table, s)}\n${await explain(table, s)}`);
    }
    results.push({ name: s.name, rows, plain: times.audit_events, parts: times.audit_events_by_month });
    console.log(`  measured ${s.name}; load ${loadavg()[0].toFixed(1)}`);
  }
  await app.end();
  await source.end();
  await owner.end();

  console.log(`\nEXPLAIN (ANALYZE, BUFFERS) as the application role under RLS:\n`);
  console.log(plans.join("\n\n"));

  console.log(`\n${fmt(EVENTS)} events, one workspace, ${MONTHS} months; ${RUNS} runs per scenario after ${WARM_UP} warm-up; page size ${LIMIT} (+1);`);
  console.log(
    `time of the whole transaction as the application role under RLS (BEGIN, set_config, query, COMMIT); floor (same transaction around SELECT 1): p50 ${ms(floorSamples, 0.5)}, p95 ${ms(floorSamples, 0.95)}\n`,
  );
  console.log("| scenario | rows | unpartitioned p50 | unpartitioned p95 | monthly partitions p50 | monthly partitions p95 |");
  console.log("|---|---:|---:|---:|---:|---:|");
  for (const r of results) console.log(`| ${r.name} | ${r.rows} | ${ms(r.plain, 0.5)} | ${ms(r.plain, 0.95)} | ${ms(r.parts, 0.5)} | ${ms(r.parts, 0.95)} |`);
  console.log("\n| table | heap | indexes | total |");
  console.log("|---|---:|---:|---:|");
  for (const [name, r] of size) console.log(`| ${name} | ${mb(r.heap)} | ${mb(r.idx)} | ${mb(String(Number(r.heap) + Number(r.idx)))} |`);
  console.log(`\nload: COPY ${fmt(EVENTS / copySeconds)} rows/s; ${machine()}`);
}

// Shared machines make timings noisy: say how busy this one was.
const machine = () =>
  `${availableParallelism()} cores, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`;
const pct = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const ms = (sorted: number[], q: number) => `${pct(sorted, q).toFixed(1)} ms`;
const mb = (bytes: string) => `${(Number(bytes) / 2 ** 20).toFixed(0)} MB`;
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
