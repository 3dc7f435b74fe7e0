// `npm run audit:verify -- --workspace <slug>`: recompute a workspace's audit
// hash chain and report "N events verified" or the first event that does not
// match. Exit code 0 when the chain holds, 1 when it is broken, 2 on misuse.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { appRolePassword } from "../lib/db/app-role";
import { prepareDatabase } from "../lib/db/prepare-database";
import { loadOrCreateLocalSecrets } from "./runtime-secrets";

const REASONS = {
  hash_mismatch: "its contents no longer match its hash (changed after it was written)",
  link_mismatch: "it does not point at the hash of the event before it (an earlier event was changed or replaced)",
  gap: "the events before it are missing (deleted)",
} as const;

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { workspace: { type: "string", short: "w" } } });
  if (!values.workspace) {
    console.error("usage: npm run audit:verify -- --workspace <slug>");
    return 2;
  }
  const dataDir = resolve(process.env.WARDEN_DATA_DIR ?? ".data");
  const secret = process.env.AUTH_SECRET ?? (process.env.DATABASE_URL ? undefined : loadOrCreateLocalSecrets(dataDir).AUTH_SECRET);
  const db = await prepareDatabase({ databaseUrl: process.env.DATABASE_URL, appDatabaseUrl: process.env.APP_DATABASE_URL, dataDir, appPassword: appRolePassword(secret ?? "") });
  try {
    const owner = new pg.Client({ connectionString: db.ownerUrl });
    await owner.connect();
    const found = await owner.query<{ id: string }>("SELECT id FROM workspaces WHERE slug = $1", [values.workspace]).finally(() => owner.end());
    if (found.rows.length === 0) {
      console.error(`No workspace with the slug "${values.workspace}".`);
      return 2;
    }
    // The chain is read as the application role, under RLS, like the console's button.
    process.env.APP_DATABASE_URL = db.appUrl;
    process.env.LOG_LEVEL ??= "warn";
    const { verifyAuditChain } = await import("../lib/audit/verify-audit-chain");
    const started = Date.now();
    const result = await verifyAuditChain({ workspaceId: found.rows[0].id });
    const took = `${((Date.now() - started) / 1000).toFixed(1)} s`;
    if (result.status === "verified") {
      console.log(`${result.count} events verified in ${values.workspace} (${took}). Latest hash: ${result.headHash ?? "none (empty log)"}`);
      return 0;
    }
    console.error(`Chain broken at event #${result.seq} (${result.eventId}): ${REASONS[result.reason]}. ${result.count} events before it verified (${took}).`);
    return 1;
  } finally {
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
