import { randomBytes } from "node:crypto";
import type pg from "pg";
import { connect } from "./owner-db";
import { appRoleNameFor } from "../../lib/db/app-role";

const suffix = () => randomBytes(4).toString("hex");

/**
 * A login role with CREATEROLE but not a superuser, owning a fresh database: a
 * managed PostgreSQL's admin, under whom FORCE RLS holds the owner too. `drop`
 * removes the database, its app role and the owner.
 */
export async function createRoleOwner(serverUrl: string, label: string): Promise<{ ownerUrl: string; name: string; drop: () => Promise<void> }> {
  const owner = `warden_owner_${suffix()}`;
  const secret = randomBytes(24).toString("base64url");
  const name = `warden_${label}_${suffix()}`;
  const root = await connect(serverUrl);
  await root.query(`CREATE ROLE "${owner}" LOGIN CREATEROLE PASSWORD '${secret}'`);
  await root.query(`CREATE DATABASE "${name}" OWNER "${owner}"`);
  await root.end();
  const drop = async () => {
    const c = await connect(serverUrl);
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.query(`DROP ROLE IF EXISTS "${appRoleNameFor(name)}"`);
    await c.query(`DROP ROLE IF EXISTS "${owner}"`);
    await c.end();
  };
  const url = new URL(serverUrl);
  url.username = owner;
  url.password = secret;
  url.pathname = `/${name}`;
  return { ownerUrl: url.toString(), name, drop };
}

/** Work in one transaction with these transaction-local settings. */
export async function inTransaction<T>(client: pg.Client, settings: Record<string, string>, work: () => Promise<T>): Promise<T> {
  await client.query("BEGIN");
  try {
    for (const [name, value] of Object.entries(settings)) await client.query("SELECT set_config($1, $2, true)", [name, value]);
    const result = await work();
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  }
}

/** Work in one transaction with the workspace's tenant setting, as the app's transactions have it. */
export const inWorkspace = <T>(client: pg.Client, workspaceId: string, work: () => Promise<T>) => inTransaction(client, { "app.workspace_id": workspaceId }, work);
