// `npm run bench:members`: p50/p95 of the members table's query (page, search,
// filters, sorts) in a workspace of 10,000 members on a real PostgreSQL.
import { performance } from "node:perf_hooks";
import pg from "pg";
import { openBenchDatabase } from "./bench-database";

const MEMBERS = 10_000;
const RUNS = 40;

async function main() {
  const { ownerUrl, close } = await openBenchDatabase();
  const owner = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  const ws = await owner.query<{ id: string }>(`INSERT INTO workspaces (name, slug) VALUES ('Bench', 'bench') RETURNING id`);
  const workspaceId = ws.rows[0].id;
  await owner.query(
    `WITH u AS (
       INSERT INTO users (email, name, password_hash, mfa_enabled_at, last_seen_at)
       SELECT 'member-' || g || '@example.test', 'Member ' || g, 'x',
              CASE WHEN g % 3 = 0 THEN now() END, now() - (g || ' minutes')::interval
       FROM generate_series(1, $1) g RETURNING id, email)
     INSERT INTO memberships (workspace_id, user_id, role, created_at)
     SELECT $2, id, (ARRAY['owner','admin','developer','editor','viewer'])[1 + (row_number() OVER () % 5)]::"Role", now() - (row_number() OVER () || ' seconds')::interval FROM u`,
    [MEMBERS, workspaceId],
  );
  await owner.query("ANALYZE");
  await owner.end();

  const { listMembers } = await import("../../lib/members/list-members");
  const { memberQuerySchema } = await import("../../lib/members/schemas");
  const scenarios: Record<string, Record<string, string>> = {
    "first page (joined)": {},
    "search 'member-77'": { q: "member-77" },
    "role = editor": { role: "editor" },
    "MFA off, by name": { mfa: "off", sort: "name" },
    "last active, page 200": { sort: "lastActive", dir: "desc", page: "200", size: "25" },
  };
  console.log(`members: ${MEMBERS}, ${RUNS} runs each`);
  for (const [label, params] of Object.entries(scenarios)) {
    const query = memberQuerySchema.parse(params);
    await listMembers(workspaceId, query);
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      await listMembers(workspaceId, query);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const p = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(1);
    console.log(`${label.padEnd(24)} p50 ${p(0.5)} ms   p95 ${p(0.95)} ms`);
  }
  await close();
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
