import pg from "pg";
import { getConfig } from "../config";

// Every instance runs the maintenance timers; each pass takes a PostgreSQL advisory
// lock named after its job, so with several instances one runs it and the others
// skip that tick. The lock is transaction-scoped (pg_try_advisory_xact_lock) on a
// connection of its own, held open while the job runs on the pool: it works through
// PgBouncer in transaction pooling (a session lock would stay on whichever server
// connection took it), and a crashed instance's lock ends with its connection.

const LOCK_SPACE = "warden.maintenance";

/** Runs `job` unless another process runs the job of this name; "skipped" then. */
export async function runExclusively(name: string, job: () => Promise<void>): Promise<"ran" | "skipped"> {
  const url = getConfig().APP_DATABASE_URL;
  if (!url) throw new Error("APP_DATABASE_URL is not set");
  const client = new pg.Client({ connectionString: url, application_name: `warden maintenance: ${name}` });
  client.on("error", () => {});
  await client.connect();
  try {
    await client.query("BEGIN");
    const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_xact_lock(hashtext($1), hashtext($2)) AS locked", [LOCK_SPACE, name]);
    if (!rows[0].locked) return "skipped";
    await job();
    return "ran";
  } finally {
    await client.query("ROLLBACK").catch(() => {});
    await client.end().catch(() => {});
  }
}
