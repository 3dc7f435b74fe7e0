// `npm run bench:pages`: the signed-in console over HTTP, as a browser asks for it,
// against a production build (`scripts/start.ts`). One workspace of 10,000 members
// and 1,000,000 audit events; each page is loaded by autocannon with a real session
// cookie at 1 and at 10 concurrent clients, next to the public sign-in page (also
// dynamic, with its CSP nonce: the framework's floor). Three rounds; each figure is
// the median of the three, and the ratio is the page's p95 over the floor's p95 of
// the same round. Every answer must be a 200 with the page's own marker in it.
// BENCH_REUSE_DATABASE=<name> (with TEST_DATABASE_URL) measures again on the data an
// earlier run left in that database (it prints its name), skipping the five-minute load.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import pg from "pg";
import { openBenchDatabase } from "./bench-database";
import { startBenchServer, stopBenchServer } from "./bench-server";

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 10_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const ROUNDS = 3;
const PORT = Number(process.env.BENCH_PORT ?? 3292);
const BASE = `http://127.0.0.1:${PORT}`;
const SLUG = "bench";
/** The per-key limit (300 a minute) is the product working, not something to measure here. */
const API_KEYS = 200;

/** `marker` is in the page's head (every answer is checked for it); `content`, the page's own data, is checked once in full. */
type Target = { label: string; path: string; marker: string; content: string; auth: "none" | "session" | "key" };
type Figures = { perSecond: number; p50: number; p95: number; p99: number; answers: number; bad: number; firstBad: string };

async function main() {
  process.env.WARDEN_MASTER_KEY ??= randomBytes(32).toString("base64");
  process.env.AUTH_SECRET ??= randomBytes(32).toString("base64url");
  const reuse = process.env.BENCH_REUSE_DATABASE;
  if (reuse && !process.env.TEST_DATABASE_URL) throw new Error("BENCH_REUSE_DATABASE names a database on TEST_DATABASE_URL's server; set that too");
  const { ownerUrl, close } = await openBenchDatabase({ name: reuse });
  const owner = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  const dataDir = mkdtempSync(join(tmpdir(), "warden-bench-pages-"));
  let server: Awaited<ReturnType<typeof startBenchServer>> | null = null;
  try {
    const seeded = reuse ? await reseed(owner) : await seed(owner);
    console.log(`data in database ${new URL(ownerUrl).pathname.slice(1)}`);
    const deep = await owner.query<{ seq: string }>(`SELECT seq::text FROM audit_events WHERE workspace_id = $1 ORDER BY seq DESC OFFSET $2 LIMIT 1`, [seeded.workspaceId, 50 * 50]);
    const targets: Target[] = [
      { label: "sign-in (floor)", path: "/sign-in", marker: "<title>Sign in", content: "Sign in", auth: "none" },
      { label: "overview", path: `/w/${SLUG}`, marker: "<title>Overview", content: "Member", auth: "session" },
      { label: "members (10k)", path: `/w/${SLUG}/members`, marker: "<title>Members", content: `member-${MEMBERS - 1}@example.test`, auth: "session" }, // joined first: the top of the default view
      { label: "audit (1M)", path: `/w/${SLUG}/audit`, marker: "<title>Audit log", content: "owner@example.test", auth: "session" },
      { label: "audit, filtered", path: `/w/${SLUG}/audit?action=member.role_changed&range=30d`, marker: "<title>Audit log", content: "developer", auth: "session" },
      { label: "audit, 50 pages deep", path: `/w/${SLUG}/audit?before=${deep.rows[0].seq}`, marker: "<title>Audit log", content: "owner@example.test", auth: "session" },
      { label: "API keys", path: `/w/${SLUG}/api-keys`, marker: "<title>API keys", content: "bench key 1", auth: "session" },
      { label: "/api/v1/audit", path: "/api/v1/audit?limit=50", marker: '"next_cursor"', content: '"next_cursor"', auth: "key" },
    ];
    server = await startBenchServer({ ownerUrl, dataDir, port: PORT });
    console.log(`\nbench:pages: ${MEMBERS} members, ${EVENTS} audit events in one workspace; ${SECONDS} s per page and concurrency; ${ROUNDS} rounds`);
    const results = new Map<string, Figures[]>();
    const floors = new Map<number, number[]>();
    const ratios = new Map<string, number[]>();
    const sizes = new Map<string, number>();
    for (let round = 1; round <= ROUNDS; round++) {
      for (const clients of [1, 10]) {
        let floorP95 = NaN;
        for (const target of targets) {
          // A fresh session per measurement: never due for rotation (autocannon keeps no cookies).
          const cookie = target.auth === "session" ? `warden.session=${await newSession(owner, seeded.userId)}` : undefined;
          if (round === 1 && clients === 1) {
            await hammer(target, 2, 2, cookie, seeded.keys); // warm-up: the route's first render and the pool
            sizes.set(target.label, await checkContent(target, cookie, seeded.keys[0]));
          }
          const f = await hammer(target, clients, SECONDS, cookie, seeded.keys);
          await settle();
          const key = `${target.label}@${clients}`;
          results.set(key, [...(results.get(key) ?? []), f]);
          if (target.auth === "none") {
            floorP95 = f.p95;
            floors.set(clients, [...(floors.get(clients) ?? []), f.p95]);
          } else ratios.set(key, [...(ratios.get(key) ?? []), f.p95 / floorP95]);
          if (f.bad > 0) throw new Error(`${target.label} at ${clients} clients: ${f.bad} answers were not the page, e.g. ${f.firstBad}`);
        }
      }
      console.log(`round ${round} done (load ${loadavg()[0].toFixed(2)})`);
    }

    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    console.log(
      `\nmedian of ${ROUNDS} rounds; load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
    );
    console.log(`${"page".padEnd(22)} clients   req/s   p50 ms   p95 ms   p99 ms      kB   p95 / floor p95 (target ≤ 1.5 at 1, ≤ 2 at 10)`);
    for (const clients of [1, 10]) {
      for (const target of targets) {
        const key = `${target.label}@${clients}`;
        const runs = results.get(key)!;
        const m = (pick: (f: Figures) => number) => median(runs.map(pick));
        const ratio = target.auth === "none" ? "—" : `${median(ratios.get(key)!).toFixed(2)}×`;
        console.log(
          `${target.label.padEnd(22)} ${String(clients).padStart(7)} ${m((f) => f.perSecond)
            .toFixed(0)
            .padStart(7)} ${m((f) => f.p50)
            .toFixed(1)
            .padStart(8)} ${m((f) => f.p95)
            .toFixed(1)
            .padStart(8)} ${m((f) => f.p99)
            .toFixed(1)
            .padStart(8)} ${(sizes.get(target.label)! / 1000).toFixed(0).padStart(7)}   ${ratio}`,
        );
      }
    }
  } finally {
    if (server) stopBenchServer(server);
    rmSync(dataDir, { recursive: true, force: true });
    await owner.end();
    await close();
  }
  process.exit(0);
}

type Seeded = { workspaceId: string; userId: string; keys: string[] };

/** An earlier run's data: its workspace and owner, and fresh keys (only their hashes were kept). */
async function reseed(owner: pg.Client): Promise<Seeded> {
  const { rows } = await owner.query<{ workspace_id: string; user_id: string }>(
    `SELECT w.id AS workspace_id, u.id AS user_id FROM workspaces w, users u WHERE w.slug = $1 AND u.email = 'owner@example.test'`,
    [SLUG],
  );
  if (!rows[0]) throw new Error("that database holds no earlier bench:pages data");
  const events = await owner.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events WHERE workspace_id = $1`, [rows[0].workspace_id]);
  console.log(`reusing ${events.rows[0].n} audit events`);
  await owner.query(`DELETE FROM api_keys WHERE workspace_id = $1`, [rows[0].workspace_id]);
  return { workspaceId: rows[0].workspace_id, userId: rows[0].user_id, keys: await createKeys(owner, rows[0].workspace_id, rows[0].user_id) };
}

async function createKeys(owner: pg.Client, workspaceId: string, userId: string): Promise<string[]> {
  const { generateApiKey } = await import("../../lib/api-keys/api-key-token");
  const keys = Array.from({ length: API_KEYS }, () => generateApiKey());
  await owner.query(
    `INSERT INTO api_keys (workspace_id, name, prefix, key_hash, scopes, created_by_id)
     SELECT $1, 'bench key ' || u.ord, u.prefix, u.hash, ARRAY['audit:read'], $2 FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS u(prefix, hash, ord)`,
    [workspaceId, userId, keys.map((k) => k.prefix), keys.map((k) => k.hash)],
  );
  return keys.map((k) => k.key);
}

async function seed(owner: pg.Client): Promise<Seeded> {
  const t = performance.now();
  const ws = await owner.query<{ id: string }>(`INSERT INTO workspaces (name, slug) VALUES ('Bench', $1) RETURNING id`, [SLUG]);
  const workspaceId = ws.rows[0].id;
  const user = await owner.query<{ id: string }>(`INSERT INTO users (email, name, password_hash) VALUES ('owner@example.test', 'Bench Owner', 'x') RETURNING id`);
  const userId = user.rows[0].id;
  await owner.query(`INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, 'owner')`, [workspaceId, userId]);
  await owner.query(
    `WITH u AS (
       INSERT INTO users (email, name, password_hash, mfa_enabled_at, last_seen_at)
       SELECT 'member-' || g || '@example.test', 'Member ' || g, 'x', CASE WHEN g % 3 = 0 THEN now() END, now() - (g || ' minutes')::interval
       FROM generate_series(1, $1) g RETURNING id, email)
     INSERT INTO memberships (workspace_id, user_id, role, created_at)
     SELECT $2, id, (ARRAY['admin','developer','editor','viewer'])[1 + (substring(email from '[0-9]+')::int % 4)]::"Role",
            now() - (substring(email from '[0-9]+')::int || ' seconds')::interval FROM u`,
    [MEMBERS - 1, workspaceId],
  );
  const keys = await createKeys(owner, workspaceId, userId);
  await loadAuditEvents(owner, workspaceId, userId);
  await owner.query("VACUUM (ANALYZE)");
  console.log(`seeded in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  return { workspaceId, userId, keys };
}

/** Through the one audit writer (the chain is real), 5,000 events per transaction, spread over the last 60 days. */
async function loadAuditEvents(owner: pg.Client, workspaceId: string, userId: string) {
  const { recordAuditEvents } = await import("../../lib/audit/record-audit-event");
  const key = (await import("../../lib/audit/audit-chain-keys")).configuredAuditKeyring().current;
  const actions = ["member.invited", "member.role_changed", "auth.sign_in_succeeded", "api_key.created", "secret.created", "audit.exported"] as const;
  const start = Date.now() - 60 * 86_400_000;
  const step = (60 * 86_400_000) / EVENTS;
  const BATCH = 5_000;
  for (let from = 0; from < EVENTS; from += BATCH) {
    await owner.query("BEGIN");
    await owner.query("SELECT set_config('app.workspace_id', $1, true)", [workspaceId]);
    const events = Array.from({ length: Math.min(BATCH, EVENTS - from) }, (_, i) => {
      const n = from + i;
      const action = actions[n % actions.length];
      return {
        workspaceId,
        occurredAt: new Date(start + n * step),
        action,
        metadata: action === "member.role_changed" ? { from: "viewer", to: "developer" } : {},
        actor: { type: "user" as const, id: userId, label: "owner@example.test" },
        target: { type: "user", id: userId },
        context: { ip: `198.51.100.${1 + (n % 254)}`, userAgent: "Mozilla/5.0 (X11; Linux x86_64) bench", requestId: `req_bench_${n}` },
      };
    });
    await recordAuditEvents(owner, events, key);
    await owner.query("COMMIT");
  }
}

async function newSession(owner: pg.Client, userId: string): Promise<string> {
  const { generateSessionToken, hashToken } = await import("../../lib/auth/session-token");
  const token = generateSessionToken();
  await owner.query(
    `INSERT INTO sessions (user_id, token_hash, ip, user_agent, idle_expires_at, absolute_expires_at)
     VALUES ($1, $2, '127.0.0.1', 'autocannon', now() + interval '1 hour', now() + interval '1 day')`,
    [userId, hashToken(token)],
  );
  return token;
}

/** Requests autocannon abandoned at the end of a measurement are still being answered: wait them out before the next. */
async function settle() {
  await new Promise((r) => setTimeout(r, 1_000));
  for (let i = 0; i < 3; i++) await fetch(`${BASE}/api/health`).then((r) => r.text());
}

/** Checks the page's data once in full; answers its size in bytes (rendering grows with it). */
async function checkContent(target: Target, cookie: string | undefined, key: string): Promise<number> {
  const response = await fetch(`${BASE}${target.path}`, { headers: { ...(cookie ? { cookie } : {}), ...(target.auth === "key" ? { authorization: `Bearer ${key}` } : {}) }, redirect: "manual" });
  const body = await response.text();
  if (response.status !== 200 || !body.includes(target.marker) || !body.includes(target.content)) {
    throw new Error(`${target.label}: expected a 200 with ${target.marker} and ${target.content}, got ${response.status} ${body.slice(0, 300)}`);
  }
  return Buffer.byteLength(body);
}

/** `clients` connections for `seconds`; every answer timed, and each must be a 200 carrying the page's marker. */
function hammer(target: Target, clients: number, seconds: number, cookie: string | undefined, keys: string[]): Promise<Figures> {
  let bad = 0;
  let firstBad = "";
  let nextKey = 0;
  const times: number[] = [];
  const started = performance.now();
  return new Promise((done, fail) => {
    const instance = autocannon(
      {
        url: BASE,
        connections: clients,
        duration: seconds,
        timeout: 30,
        requests: [
          {
            method: "GET",
            path: target.path,
            setupRequest: (request) => ({
              ...request,
              headers: {
                ...(cookie ? { cookie } : {}),
                ...(target.auth === "key" ? { authorization: `Bearer ${keys[nextKey++ % keys.length]}` } : {}),
              },
            }),
            onResponse: (status, body) => {
              if (status === 200 && body.includes(target.marker)) return;
              bad++;
              firstBad ||= `${status} ${body.slice(0, 300)}`;
            },
          },
        ],
      },
      (error, result) => {
        if (error) return fail(error);
        const elapsed = (performance.now() - started) / 1000;
        times.sort((a, b) => a - b);
        const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] ?? NaN;
        done({ perSecond: times.length / elapsed, p50: pct(50), p95: pct(95), p99: pct(99), answers: times.length, bad: bad + result.errors + result.timeouts, firstBad });
      },
    );
    instance.on("response", (_client, _status: number, _bytes: number, time: number) => times.push(time));
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
