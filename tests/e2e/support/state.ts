import { readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { STATE_FILE } from "./paths";

type State = { pid: number; dataDir: string; setupToken: string };

export const readState = (): State => JSON.parse(readFileSync(STATE_FILE, "utf8")) as State;

/** The embedded database's owner connection, for fixtures a spec seeds for itself. */
export async function ownerDb(): Promise<pg.Client> {
  const { dataDir } = readState();
  const password = readFileSync(join(dataDir, "pg-owner-password"), "utf8").trim();
  const port = readFileSync(join(dataDir, "pg-port"), "utf8").trim();
  const client = new pg.Client({ connectionString: `postgresql://warden_owner:${encodeURIComponent(password)}@127.0.0.1:${port}/warden` });
  await client.connect();
  return client;
}
