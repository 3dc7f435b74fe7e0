import { createHash } from "node:crypto";
import pg from "pg";

// The application role is per database: two Warden instances on one PostgreSQL
// server must never share it, or starting one would reset the other's password.
// Migrations name it `warden_app`; the runner maps that name to this role.

/** How the migrations spell the application role (lib/db/migrate.ts maps it). */
export const APP_ROLE_PLACEHOLDER = "warden_app";

export const MIN_APP_PASSWORD_LENGTH = 24;

export class AppRoleError extends Error {}

export function databaseNameOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1)) || "postgres";
}

/** `warden_app_<db>`; a name that had to be cleaned or shortened gets a hash of the original, so no two databases share a role. */
export function appRoleNameFor(database: string): string {
  const clean = database.toLowerCase().replace(/[^a-z0-9_]/g, "_");
  const name = `${APP_ROLE_PLACEHOLDER}_${clean}`;
  if (clean === database && name.length <= 63) return name;
  const hash = createHash("sha256").update(database).digest("hex").slice(0, 8);
  return `${name.slice(0, 63 - 9)}_${hash}`;
}

/** APP_DATABASE_URL's user when the operator manages the role, else `warden_app_<db>`. */
export function appRoleName(options: { ownerUrl: string; appDatabaseUrl?: string }): string {
  if (options.appDatabaseUrl) {
    const user = decodeURIComponent(new URL(options.appDatabaseUrl).username);
    if (!user) throw new AppRoleError("APP_DATABASE_URL names no user");
    return user;
  }
  return appRoleNameFor(databaseNameOf(options.ownerUrl));
}

/** Refuses before anything runs rather than give the role a guessable password. */
export function checkAppPassword(password: string | undefined): string {
  if (!password) {
    throw new AppRoleError(
      "DATABASE_URL is set, so Warden needs either APP_DATABASE_URL (a role you manage; Warden only verifies it) " +
        `or APP_DATABASE_PASSWORD (at least ${MIN_APP_PASSWORD_LENGTH} characters; Warden creates its role with it)`,
    );
  }
  if (password.length < MIN_APP_PASSWORD_LENGTH) {
    throw new AppRoleError(`APP_DATABASE_PASSWORD must be at least ${MIN_APP_PASSWORD_LENGTH} characters`);
  }
  return password;
}

/**
 * Creates the application role, or gives an existing one LOGIN and the password.
 * Only attributes a CREATEROLE owner may set on PostgreSQL 15 are named here (no
 * NOSUPERUSER/NOBYPASSRLS, which that version refuses from a non-superuser);
 * verifyAppRole then proves the rest. Returns the role's connection URL.
 */
export async function ensureAppRole(options: { ownerUrl: string; role: string; password: string }): Promise<string> {
  const password = checkAppPassword(options.password);
  const client = new pg.Client({ connectionString: options.ownerUrl });
  await client.connect();
  try {
    const role = client.escapeIdentifier(options.role);
    const literal = client.escapeLiteral(password);
    const { rowCount } = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [options.role]);
    let created = false;
    if (!rowCount) {
      // Another instance starting at the same moment may create it first (42710).
      created = await client.query(`CREATE ROLE ${role} LOGIN PASSWORD ${literal}`).then(
        () => true,
        (error) => ((error as { code?: string }).code === "42710" ? false : Promise.reject(error)),
      );
    }
    if (!created) await client.query(`ALTER ROLE ${role} LOGIN PASSWORD ${literal}`);
  } catch (error) {
    throw new AppRoleError(`cannot create or update the application role ${options.role}: ${(error as Error).message}`);
  } finally {
    await client.end();
  }
  const url = new URL(options.ownerUrl);
  url.username = encodeURIComponent(options.role);
  url.password = encodeURIComponent(password);
  return url.toString();
}
