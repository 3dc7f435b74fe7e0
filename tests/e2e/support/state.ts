import { readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { secretsFileFor, type LocalSecrets } from "../../../scripts/runtime-secrets";
import { STATE_FILE } from "./paths";

type State = { pid: number; dataDir: string; secretsDir: string; setupToken: string };

export const readState = (): State => JSON.parse(readFileSync(STATE_FILE, "utf8")) as State;

/**
 * The master key the server generated for itself on first start (its secrets file
 * under the run's WARDEN_SECRETS_DIR): fixtures hash the audit events they seed
 * with it, as the server's own writer does, so the keyed chain takes them.
 */
export function serverMasterKey(): string {
  const { dataDir, secretsDir } = readState();
  return (JSON.parse(readFileSync(secretsFileFor(dataDir, secretsDir), "utf8")) as LocalSecrets).WARDEN_MASTER_KEY;
}

/** The embedded database's owner connection, for fixtures a spec seeds for itself. */
export async function ownerDb(): Promise<pg.Client> {
  const { dataDir } = readState();
  const password = readFileSync(join(dataDir, "pg-owner-password"), "utf8").trim();
  const port = readFileSync(join(dataDir, "pg-port"), "utf8").trim();
  const client = new pg.Client({ connectionString: `postgresql://warden_owner:${encodeURIComponent(password)}@127.0.0.1:${port}/warden` });
  await client.connect();
  return client;
}
