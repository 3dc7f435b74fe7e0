// `npm run bench:export`: the audit-log export of one workspace of 1,000,000 events
// and of one of 5,000,000, as CSV and JSON Lines, through the function the export
// route uses (each in a fresh process: measure-export.ts), beside the floor: PostgreSQL's
// own COPY (SELECT …) TO STDOUT of the same rows, as the same role under the same
// tenant setting, through the same driver. Prints rows/s, peak RSS and the ratio
// to the floor.
//
// Six million events take minutes to write, so the data set is kept in its own
// database (BENCH_EXPORT_DATABASE, default bench_export, on TEST_DATABASE_URL's
// server) and reused by the next run; drop it when done. The rows are drawn in SQL
// and inserted by the database owner with triggers off: the export reads columns
// and does not check the chain, so the hashes are well-formed but not a chain.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { availableParallelism, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { ensureDatabase } from "../../lib/db/ensure-database";
import { appRoleName, ensureAppRole } from "../../lib/db/app-role";
import { runMigrations } from "../../lib/db/migrate";

const SIZES = [1_000_000, 5_000_000] as const;
const LOAD_STEP = 250_000; // events of the large workspace per INSERT
const EXPORT_ROWS_PER_SECOND = 100_000;
const EXPORT_PEAK_RSS_MB = 300;
const FLOOR_RATIO = { csv: 1.5, jsonl: 2 } as const;

// Both workspaces are written in one timeline, interleaved as a live instance's
// table is: one event of the small one for every five of the large one.
const LOAD = `
  INSERT INTO audit_events (workspace_id, occurred_at, actor_type, actor_id, actor_label, action, target_type, target_id,
                            ip, user_agent, request_id, client_request_id, metadata, seq, prev_hash, hash, key_id)
  SELECT w.id, $3::timestamptz + (g * interval '1 second'), d.actor_type, d.actor_id, d.actor_label, d.action, 'user', d.target_id,
         d.ip, d.user_agent, 'req_' || substr(md5(w.id::text || g), 1, 20),
         CASE WHEN g % 50 = 0 THEN '=client "' || g || '"' END,
         d.metadata, w.seq, md5(w.id::text || (w.seq - 1)) || md5((w.seq - 1)::text || w.id::text),
         md5(w.id::text || w.seq) || md5(w.seq::text || w.id::text), 'bench001'
  FROM generate_series($4::bigint, $5::bigint) AS g
  CROSS JOIN LATERAL (VALUES ($1::uuid, g), ($2::uuid, CASE WHEN g % 5 = 0 THEN g / 5 END)) AS w(id, seq)
  CROSS JOIN LATERAL (SELECT
      CASE WHEN g % 13 = 0 THEN 'api_key' ELSE 'user' END AS actor_type,
      md5('actor' || (g % 50))::uuid AS actor_id,
      CASE g % 7 WHEN 0 THEN 'Zoë "bot", ' || (g % 50) WHEN 1 THEN '=cmd|' || (g % 50) ELSE 'member-' || (g % 50) || '@example.test' END AS actor_label,
      (ARRAY['auth.sign_in_succeeded', 'auth.signed_out', 'member.role_changed', 'member.invited', 'audit.exported'])[1 + g % 5] AS action,
      md5('target' || (g % 500))::uuid::text AS target_id,
      '198.51.100.' || (1 + g % 254) AS ip,
      (ARRAY['Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/17.5',
             'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0', 'warden-cli/1.4.2'])[1 + g % 3] AS user_agent,
      CASE g % 5 WHEN 0 THEN jsonb_build_object('method', 'password', 'mfa', g % 2 = 0)
                 WHEN 2 THEN jsonb_build_object('from', 'viewer', 'to', 'editor', 'note', E'line one\\nline "two"')
                 WHEN 3 THEN jsonb_build_object('role', 'developer', 'email', 'invitee-' || g || '@example.test')
                 ELSE '{}'::jsonb END AS metadata) AS d
  WHERE w.seq IS NOT NULL
  ORDER BY g, w.id = $1::uuid`;

type Measurement = { rows: number; bytes: number; seconds: number; baselineRss: number; peakRss: number };

async function main() {
  const server = process.env.TEST_DATABASE_URL;
  if (!server) throw new Error("set TEST_DATABASE_URL to a PostgreSQL server the benchmark may create a database on");
  const ownerUrl = await ensureDatabase(server, process.env.BENCH_EXPORT_DATABASE ?? "bench_export");
  const appRole = appRoleName({ ownerUrl });
  process.env.APP_DATABASE_URL = await ensureAppRole({ ownerUrl, role: appRole, password: randomBytes(24).toString("base64url") });
  process.env.LOG_LEVEL = "silent";
  await runMigrations(ownerUrl, { appRole });
  const workspaceIds = await load(ownerUrl);

  console.log(`${machine()}`);
  console.log(
    `targets: ≥ ${fmt(EXPORT_ROWS_PER_SECOND)} rows/s, peak RSS ≤ ${EXPORT_PEAK_RSS_MB} MB (default heap), within ${FLOOR_RATIO.csv}× (CSV) / ${FLOOR_RATIO.jsonl}× (JSON Lines) of the COPY floor\n`,
  );
  // Each round measures the floor and both formats back to back, so each ratio compares
  // figures taken under the same load; the table gives the median of the rounds.
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  for (const size of SIZES) {
    const workspaceId = workspaceIds[size];
    const runs: Record<"floor" | "csv" | "jsonl", (Measurement & { rate: number; ratio: number })[]> = { floor: [], csv: [], jsonl: [] };
    for (let round = 1; round <= rounds; round++) {
      const floor = measure("floor", workspaceId, size);
      const floorRate = floor.rows / floor.seconds;
      runs.floor.push({ ...floor, rate: floorRate, ratio: 1 });
      for (const format of ["csv", "jsonl"] as const) {
        const result = measure(format, workspaceId, size);
        const rate = result.rows / result.seconds;
        runs[format].push({ ...result, rate, ratio: floorRate / rate });
      }
      console.log(`${fmt(size)} events, round ${round}: floor ${fmt(floorRate)}, CSV ${fmt(runs.csv[round - 1].rate)}, JSON Lines ${fmt(runs.jsonl[round - 1].rate)} rows/s (${machine()})`);
    }
    console.log(`\n| events | what | rows/s (runs) | median rows/s | peak RSS (max) | ratio to floor (median) | target |`);
    console.log("|---:|---|---|---:|---:|---:|---|");
    for (const what of ["floor", "csv", "jsonl"] as const) {
      const list = runs[what];
      const rate = median(list.map((r) => r.rate));
      const ratio = median(list.map((r) => r.ratio));
      const peak = Math.max(...list.map((r) => r.peakRss));
      const pass = what === "floor" ? "" : rate >= EXPORT_ROWS_PER_SECOND && peak / 2 ** 20 <= EXPORT_PEAK_RSS_MB && ratio <= FLOOR_RATIO[what] ? "PASS" : "FAIL";
      const label = what === "floor" ? "COPY floor" : what === "csv" ? "CSV" : "JSON Lines";
      console.log(`| ${fmt(size)} | ${label} | ${list.map((r) => fmt(r.rate)).join(" / ")} | ${fmt(rate)} | ${mb(peak)} MB | ${ratio.toFixed(2)}× | ${pass} |`);
    }
    console.log("");
  }
  console.log(`\n${machine()}`);
}

/** The two workspaces (1M and 5M events), loaded on the first run. */
async function load(ownerUrl: string): Promise<Record<number, string>> {
  const owner = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  try {
    const slugs = SIZES.map((size) => `export-${size}`);
    for (const slug of slugs) await owner.query(`INSERT INTO workspaces (name, slug) VALUES ($1, $1) ON CONFLICT (slug) DO NOTHING`, [slug]);
    const { rows } = await owner.query<{ id: string; slug: string; events: string }>(
      `SELECT w.id, w.slug, (SELECT count(*) FROM audit_events e WHERE e.workspace_id = w.id) AS events FROM workspaces w WHERE slug = ANY($1)`,
      [slugs],
    );
    const id = (size: number) => rows.find((r) => r.slug === `export-${size}`)!;
    const [small, large] = SIZES;
    if (+id(small).events !== small || +id(large).events !== large) {
      const t = performance.now();
      await owner.query(`DELETE FROM audit_events WHERE workspace_id = ANY($1)`, [rows.map((r) => r.id)]).catch(async () => {
        // audit events refuse deletion through their trigger; a broken load is started again without it.
        await owner.query("SET session_replication_role = replica");
        await owner.query(`DELETE FROM audit_events WHERE workspace_id = ANY($1)`, [rows.map((r) => r.id)]);
      });
      await owner.query("SET session_replication_role = replica");
      const start = new Date(Date.now() - large * 1000 - 86_400_000);
      for (let g = 1; g <= large; g += LOAD_STEP) {
        await owner.query(LOAD, [id(large).id, id(small).id, start, g, Math.min(large, g + LOAD_STEP - 1)]);
        process.stderr.write(`\rloaded ${fmt(g + LOAD_STEP - 1)} of ${fmt(large)}`);
      }
      await owner.query("RESET session_replication_role");
      await owner.query("VACUUM (ANALYZE) audit_events");
      console.log(`\nloaded ${fmt(small + large)} events in ${((performance.now() - t) / 1000).toFixed(0)} s (once; kept for the next run)`);
    }
    return { [small]: id(small).id, [large]: id(large).id };
  } finally {
    await owner.end();
  }
}

/** Each measurement runs in its own fresh process, so its peak RSS is its own. */
function measure(what: "floor" | "csv" | "jsonl", workspaceId: string, expected: number): Measurement {
  const output = execFileSync(process.execPath, ["--import", "tsx", "scripts/bench/measure-export.ts", what, workspaceId, new Date().toISOString()], {
    env: process.env,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 2 ** 20,
  });
  const result = JSON.parse(output.trim().split("\n").pop()!) as Measurement;
  if (result.rows !== expected) throw new Error(`${what} produced ${result.rows} rows, expected ${expected}`);
  return result;
}

const machine = () =>
  `${availableParallelism()} cores, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`;
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
