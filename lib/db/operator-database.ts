import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { startEmbeddedPostgres } from "./embedded";

export const EMBEDDED_DATABASE = "warden";

export type OperatorDatabase = { ownerUrl: string; stop: () => Promise<void> };

/** The URL with every transaction read-only by default (a startup option, set before any statement runs). */
export function readOnlyUrl(url: string): string {
  const parsed = new URL(url);
  const options = parsed.searchParams.get("options");
  parsed.searchParams.set("options", [options, "-c default_transaction_read_only=on"].filter(Boolean).join(" "));
  return parsed.toString();
}

/**
 * The owner's connection for operator commands (audit:verify, keys:rotate): the
 * PostgreSQL at DATABASE_URL, or the embedded one under dataDir (started if it is
 * not running). It never migrates and never creates or alters a role: only
 * `npm start` and `npm run db:migrate` manage the application role. Read-only unless
 * the command must write.
 */
export async function openOperatorDatabase(options: { databaseUrl?: string; dataDir: string; readOnly?: boolean; log?: (line: string) => void }): Promise<OperatorDatabase> {
  const readOnly = options.readOnly ?? true;
  const shape = (url: string) => (readOnly ? readOnlyUrl(url) : url);
  if (options.databaseUrl) return { ownerUrl: shape(options.databaseUrl), stop: async () => {} };

  const root = resolve(options.dataDir);
  if (!existsSync(join(root, "pg", "PG_VERSION"))) {
    throw new Error(`no embedded database in ${root} yet: run \`npm start\` or \`npm run db:migrate\` first`);
  }
  const running = await startEmbeddedPostgres(root, options.log);
  const url = new URL(running.ownerUrl);
  url.pathname = `/${EMBEDDED_DATABASE}`;
  return { ownerUrl: shape(url.toString()), stop: running.stop };
}
