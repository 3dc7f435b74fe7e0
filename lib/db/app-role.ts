import { createHmac } from "node:crypto";
import pg from "pg";

export const APP_ROLE = "warden_app";

// What an operator runs when Warden's database owner may not manage roles.
// The migrations then grant this role exactly what it needs.
export const APP_ROLE_SQL = `CREATE ROLE ${APP_ROLE} LOGIN PASSWORD '<password>' NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;`;

/** Stable across instances that share AUTH_SECRET, so no instance locks another out. */
export function appRolePassword(authSecret: string): string {
  return createHmac("sha256", authSecret).update("warden_app database password").digest("base64url");
}

/** Gives the application role LOGIN and its password, and strips any privilege it must not hold. */
export async function ensureAppRole(ownerUrl: string, password: string): Promise<string> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const literal = client.escapeLiteral(password);
    await client.query(
      `DO $$ BEGIN
         IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
           CREATE ROLE ${APP_ROLE} NOLOGIN;
         END IF;
       END $$`,
    );
    await client.query(
      `ALTER ROLE ${APP_ROLE} LOGIN PASSWORD ${literal} NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE`,
    );
  } finally {
    await client.end();
  }
  const url = new URL(ownerUrl);
  url.username = APP_ROLE;
  url.password = password;
  return url.toString();
}
