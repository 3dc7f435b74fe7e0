// `npm run db:migrate`: apply pending migrations to DATABASE_URL (or the embedded
// database), after creating or updating this database's application role (or, with
// APP_DATABASE_URL, only verifying the operator's), exactly as `npm start` does.
import { resolve } from "node:path";
import { parseConfig } from "../lib/config";
import { prepareDatabase } from "../lib/db/prepare-database";
import { loadOrCreateLocalSecrets } from "./runtime-secrets";

async function main() {
  const dataDir = resolve(process.env.WARDEN_DATA_DIR ?? ".data");
  const local = process.env.DATABASE_URL ? undefined : loadOrCreateLocalSecrets(dataDir);
  const config = parseConfig({ ...process.env, NODE_ENV: "development" });
  const db = await prepareDatabase({
    databaseUrl: config.DATABASE_URL,
    appDatabaseUrl: config.APP_DATABASE_URL,
    appPassword: config.APP_DATABASE_PASSWORD ?? local?.APP_DATABASE_PASSWORD,
    masterKey: config.WARDEN_MASTER_KEY ?? local?.WARDEN_MASTER_KEY,
    previousMasterKeys: config.WARDEN_PREVIOUS_MASTER_KEYS,
    dataDir,
  });
  console.log(db.applied.length ? `applied: ${db.applied.join(", ")}` : "nothing to apply");
  if (db.rekeyed.events) console.log(`re-keyed ${db.rekeyed.events} audit events of an earlier version in ${db.rekeyed.workspaces} workspaces`);
  for (const r of db.rekeyed.refused) console.error(`the audit chain of workspace ${r.workspaceId} does not verify at event #${r.seq}; re-keyed up to it only`);
  console.log(`application role ${db.appRole} verified`);
  await db.stop();
}

main().catch((error) => {
  console.error(`migration failed: ${(error as Error).message}`);
  process.exit(1);
});
