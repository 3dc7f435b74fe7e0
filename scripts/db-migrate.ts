// `npm run db:migrate`: apply pending migrations to DATABASE_URL (or the embedded database).
import { resolve } from "node:path";
import { appRolePassword } from "../lib/db/app-role";
import { prepareDatabase } from "../lib/db/prepare-database";
import { loadOrCreateLocalSecrets } from "./runtime-secrets";

async function main() {
  const dataDir = resolve(process.env.WARDEN_DATA_DIR ?? ".data");
  const secret = process.env.AUTH_SECRET ?? (process.env.DATABASE_URL ? undefined : loadOrCreateLocalSecrets(dataDir).AUTH_SECRET);
  if (!secret && !process.env.APP_DATABASE_URL) throw new Error("AUTH_SECRET or APP_DATABASE_URL is required with DATABASE_URL");
  const db = await prepareDatabase({
    databaseUrl: process.env.DATABASE_URL,
    appDatabaseUrl: process.env.APP_DATABASE_URL,
    dataDir,
    appPassword: appRolePassword(secret ?? ""),
  });
  console.log(db.applied.length ? `applied: ${db.applied.join(", ")}` : "nothing to apply");
  await db.stop();
}

main().catch((error) => {
  console.error(`migration failed: ${(error as Error).message}`);
  process.exit(1);
});
