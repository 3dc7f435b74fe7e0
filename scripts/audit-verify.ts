// `npm run audit:verify -- --workspace <slug> [--expect-head <seq>:<hash>]`:
// recompute a workspace's keyed audit hash chain and report "N events verified"
// or the first event that does not match. With --expect-head (a head recorded
// elsewhere: an earlier run's output, GET /api/v1/audit/head, an
// `audit.chain_verified` event), also report truncation when the chain no longer
// holds that event. Exit code 0 when the chain holds, 1 when it is broken or
// truncated, 2 on misuse.
//
// An operator command: it connects as the database owner, read-only, and never
// migrates or touches a role (only `npm start` and `npm run db:migrate` do).
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { openOperatorDatabase } from "../lib/db/operator-database";
import { auditKeyringFrom, previousMasterKeys } from "../lib/audit/audit-chain-keys";
import { CHAIN_BATCH_SQL, CHECKPOINT_SQL, parseExpectedHead, toCheckpoint, verifyAuditChain, type ChainRow } from "../lib/audit/verify-audit-chain";
import { secretsFileFor } from "./runtime-secrets";

const REASONS = {
  hash_mismatch: "its contents no longer match its hash (changed after it was written)",
  link_mismatch: "it does not point at the hash of the event before it (an earlier event was changed or replaced)",
  gap: "the events before it are missing (deleted)",
  unkeyed: "its hash was not made with Warden's key (written or re-hashed outside Warden)",
  unknown_key: "its hash names a key this server does not hold (set WARDEN_PREVIOUS_MASTER_KEYS)",
} as const;

const USAGE = "usage: npm run audit:verify -- --workspace <slug or id> [--expect-head <seq>:<hash>]";

/** The master key from the environment, or the one `npm start` generated for the embedded database. */
function masterKey(dataDir: string): string {
  if (process.env.WARDEN_MASTER_KEY) return process.env.WARDEN_MASTER_KEY;
  const file = process.env.DATABASE_URL ? null : secretsFileFor(dataDir);
  if (file && existsSync(file)) return (JSON.parse(readFileSync(file, "utf8")) as { WARDEN_MASTER_KEY: string }).WARDEN_MASTER_KEY;
  throw new Error("WARDEN_MASTER_KEY is not set: the chain's hashes are keyed with it, so it is needed to verify them");
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { workspace: { type: "string", short: "w" }, "expect-head": { type: "string" } } });
  if (!values.workspace) {
    console.error(USAGE);
    return 2;
  }
  const expectHead = values["expect-head"] === undefined ? undefined : parseExpectedHead(values["expect-head"]);
  if (expectHead === null) {
    console.error(`--expect-head takes <seq>:<hash> (a number, a colon and 64 hex digits). ${USAGE}`);
    return 2;
  }
  const dataDir = resolve(process.env.WARDEN_DATA_DIR ?? ".data");
  const keyring = auditKeyringFrom(masterKey(dataDir), previousMasterKeys(process.env.WARDEN_PREVIOUS_MASTER_KEYS));
  const db = await openOperatorDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir, readOnly: true });
  const client = new pg.Client({ connectionString: db.ownerUrl });
  try {
    await client.connect();
    // An id is taken as it is: an owner that is not a superuser is held to the
    // workspaces' RLS (FORCE) and cannot look a slug up.
    const byId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(values.workspace);
    const found = byId ? { rows: [{ id: values.workspace.toLowerCase() }] } : await client.query<{ id: string }>("SELECT id::text AS id FROM public.workspaces WHERE slug = $1", [values.workspace]);
    if (found.rows.length === 0) {
      console.error(`No workspace with the slug "${values.workspace}" (an owner that is not a superuser cannot see slugs: pass the workspace's id).`);
      return 2;
    }
    const workspaceId = found.rows[0].id;
    // A batch per short read-only transaction, with the tenant setting the log's
    // RLS policy asks of everyone, the owner included (FORCE ROW LEVEL SECURITY).
    const readBatch = async (afterSeq: bigint, limit: number) => {
      await client.query("BEGIN READ ONLY");
      try {
        await client.query("SELECT set_config('app.workspace_id', $1, true)", [workspaceId]);
        return (await client.query<ChainRow>(CHAIN_BATCH_SQL, [workspaceId, afterSeq.toString(), limit])).rows;
      } finally {
        await client.query("COMMIT");
      }
    };
    // Where retention left the chain's start (none: it starts at the genesis).
    const readCheckpoint = async () => {
      await client.query("BEGIN READ ONLY");
      try {
        await client.query("SELECT set_config('app.workspace_id', $1, true)", [workspaceId]);
        return toCheckpoint((await client.query(CHECKPOINT_SQL, [workspaceId])).rows);
      } finally {
        await client.query("COMMIT");
      }
    };
    const started = Date.now();
    const result = await verifyAuditChain({ workspaceId, keyring, readBatch, readCheckpoint, expectHead });
    const took = `${((Date.now() - started) / 1000).toFixed(1)} s`;
    if (result.status === "verified") {
      const head = result.headSeq ? `${result.headSeq}:${result.headHash}` : "none (empty log)";
      const cp = result.checkpoint;
      const from = cp ? ` verified from seq ${BigInt(cp.seq) + 1n} after ${cp.removed} events removed by retention on ${cp.removedAt.toISOString()} (checkpoint ${cp.seq}:${cp.hash})` : " verified";
      console.log(`${result.count} events${from} in ${values.workspace} (${took}). Head: ${head}`);
      if (expectHead && cp && expectHead.seq < BigInt(cp.seq)) {
        console.log(`The expected head #${expectHead.seq} was removed by retention (checkpoint #${cp.seq}): it cannot be checked any more.`);
      } else if (expectHead) console.log(`The chain still holds the expected head #${expectHead.seq}.`);
      return 0;
    }
    if (result.status === "truncated") {
      const what = result.found === null ? "is missing: the newest events were deleted (truncated)" : `now has a different hash (${result.found}): the log was rewritten from there`;
      console.error(`Truncation: the expected head #${result.expected.seq} ${what}. The chain ends at #${result.headSeq ?? 0}; its ${result.count} events verify on their own (${took}).`);
      return 1;
    }
    console.error(`Chain broken at event #${result.seq} (${result.eventId}): ${REASONS[result.reason]}. ${result.count} events before it verified (${took}).`);
    return 1;
  } finally {
    await client.end().catch(() => {});
    await db.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`audit:verify failed: ${(error as Error).message}`);
    process.exit(2);
  },
);
