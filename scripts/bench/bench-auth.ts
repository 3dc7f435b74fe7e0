// `npm run bench:auth`: sign-ins per second and latency with 20 concurrent clients
// through the real sign-in path (Argon2id verify, session insert, audit rows) on a
// real PostgreSQL, and the event loop's p99 delay meanwhile: hashing runs on the
// thread pool and must not stall other requests.
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import pg from "pg";
import { openBenchDatabase } from "./bench-database";

const CLIENTS = 20;
const DURATION_MS = Number(process.env.BENCH_SECONDS ?? 15) * 1000;
const PASSWORD = "correct horse battery staple";

async function main() {
  const { ownerUrl, close } = await openBenchDatabase();
  const { hashPassword } = await import("../../lib/auth/password");
  const { signInWithPassword } = await import("../../lib/auth/sign-in-with-password");

  const owner = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  const hash = await hashPassword(PASSWORD);
  const ws = await owner.query<{ id: string }>(`INSERT INTO workspaces (name, slug) VALUES ('Bench', 'bench') RETURNING id`);
  const emails: string[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const email = `bench-${i}@example.test`;
    const user = await owner.query<{ id: string }>(`INSERT INTO users (email, name, password_hash) VALUES ($1, $1, $2) RETURNING id`, [email, hash]);
    await owner.query(`INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, 'developer')`, [ws.rows[0].id, user.rows[0].id]);
    emails.push(email);
  }
  await owner.end();

  // Warm-up: the pool, the JIT and the dummy hash.
  await Promise.all(emails.map((email, i) => signInWithPassword({ email, password: PASSWORD, context: { ip: `198.51.100.${i}`, userAgent: "bench", requestId: null } })));

  const latencies: number[] = [];
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const end = performance.now() + DURATION_MS;
  await Promise.all(
    emails.map(async (email, i) => {
      while (performance.now() < end) {
        const started = performance.now();
        await signInWithPassword({ email, password: PASSWORD, context: { ip: `198.51.100.${i}`, userAgent: "bench", requestId: null } });
        latencies.push(performance.now() - started);
      }
    }),
  );
  delay.disable();

  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  console.log(`sign-ins:              ${latencies.length} in ${(DURATION_MS / 1000).toFixed(0)} s with ${CLIENTS} concurrent clients`);
  console.log(`throughput:            ${(latencies.length / (DURATION_MS / 1000)).toFixed(1)} sign-ins/s`);
  console.log(`latency p50 / p95:     ${pct(50).toFixed(1)} ms / ${pct(95).toFixed(1)} ms`);
  console.log(`event-loop delay p99:  ${(delay.percentile(99) / 1e6).toFixed(1)} ms (target < 20 ms)`);
  await close();
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
