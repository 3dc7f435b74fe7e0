// `npm run account:events -- [--email <address>] [--limit <n>]`: the account-level
// security log (sign-ins, failures including those at unknown addresses, lockouts,
// MFA and password changes, reused session tokens), newest first. With --email,
// the events of that account and the attempts made at that address.
//
// An operator command: it connects as the database owner, read-only, and never
// migrates or touches a role. account_events is not under FORCE RLS, so the owner
// reads every row.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { openOperatorDatabase } from "../lib/db/operator-database";

const USAGE = "usage: npm run account:events -- [--email <address>] [--limit <n>]";

type Row = { occurred_at: Date; action: string; email: string | null; actor_label: string | null; ip: string | null; user_agent: string | null; request_id: string | null; metadata: unknown };

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { email: { type: "string" }, limit: { type: "string", default: "50" } } });
  const limit = Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
    console.error(`--limit takes a whole number from 1 to 10000. ${USAGE}`);
    return 2;
  }
  const db = await openOperatorDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: resolve(process.env.WARDEN_DATA_DIR ?? ".data"), readOnly: true });
  const client = new pg.Client({ connectionString: db.ownerUrl });
  try {
    await client.connect();
    const email = values.email?.trim().toLowerCase() ?? null;
    const { rows } = await client.query<Row>(
      `SELECT e.occurred_at, e.action, u.email, e.actor_label, e.ip, e.user_agent, e.request_id, e.metadata
         FROM public.account_events e LEFT JOIN public.users u ON u.id = e.user_id
        WHERE $1::text IS NULL OR lower(u.email) = $1 OR (e.user_id IS NULL AND lower(e.actor_label) = $1)
        ORDER BY e.occurred_at DESC, e.id DESC
        LIMIT $2`,
      [email, limit],
    );
    if (rows.length === 0) console.log(email ? `No account events for ${email}.` : "No account events.");
    for (const r of rows) {
      const who = r.email ?? `unknown account${r.actor_label ? ` (${r.actor_label})` : ""}`;
      console.log([r.occurred_at.toISOString(), r.action.padEnd(24), who, r.ip ?? "-", r.request_id ?? "-", JSON.stringify(r.metadata), r.user_agent ?? "-"].join("  "));
    }
    return 0;
  } finally {
    await client.end().catch(() => {});
    await db.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`account:events failed: ${(error as Error).message}`);
    process.exit(2);
  },
);
