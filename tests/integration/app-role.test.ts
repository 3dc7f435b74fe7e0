import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { createRoleOwner as createSharedRoleOwner } from "../support/role-owner";
import { connect } from "../support/owner-db";
import { appRoleNameFor } from "../../lib/db/app-role";
import { openOperatorDatabase } from "../../lib/db/operator-database";
import { ensureDatabase } from "../../lib/db/ensure-database";
import { prepareDatabase } from "../../lib/db/prepare-database";
import { verifyAppRole } from "../../lib/db/verify-app-role";
import { MIGRATIONS_DIR, readMigrations, runMigrations } from "../../lib/db/migrate";
import { keyProviderFrom } from "../../lib/crypto/key-provider";
import { readKeyHistory } from "../../lib/crypto/key-history";
import { readSeeded, seedSecrets } from "../support/seed-secrets";

// The application role's credential is what the running server holds; these tests
// prove who may set it (only start-up and db:migrate), that it is per database, and
// that start-up refuses a role that could do more than the app needs. They run on the
// suite's server (embedded 18 or TEST_DATABASE_URL) and on PostgreSQL 15 when
// TEST_PG15_URL is set, where a CREATEROLE owner may not name SUPERUSER/BYPASSRLS.

const servers = [...new Set([inject("serverUrl"), process.env.TEST_PG15_URL].filter((u): u is string => Boolean(u)))];
const suffix = () => randomBytes(4).toString("hex");
const password = () => randomBytes(24).toString("base64url");
const unusedDataDir = mkdtempSync(join(tmpdir(), "warden-role-test-"));
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

/** A fresh database on the server as its superuser; dropped (with its app role) after the file. */
async function freshDatabase(serverUrl: string) {
  const name = `warden_role_${suffix()}`;
  const url = await ensureDatabase(serverUrl, name);
  cleanups.push(async () => {
    const root = await connect(serverUrl);
    await root.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await root.query(`DROP ROLE IF EXISTS "${appRoleNameFor(name)}"`);
    await root.end();
  });
  return { name, url };
}

async function createRoleOwner(serverUrl: string) {
  const { ownerUrl, name, drop } = await createSharedRoleOwner(serverUrl, "role");
  cleanups.push(drop);
  return { ownerUrl, name };
}

async function canLogIn(url: string) {
  const client = await connect(url).catch(() => null);
  await client?.end();
  return client !== null;
}

function runScript(script: string, env: Record<string, string | undefined>) {
  const childEnv: Record<string, string | undefined> = { ...process.env, LOG_LEVEL: "silent", WARDEN_DATA_DIR: unusedDataDir, WARDEN_SECRETS_DIR: unusedDataDir };
  for (const name of ["APP_DATABASE_URL", "APP_DATABASE_PASSWORD", "AUTH_SECRET", "DATABASE_URL"]) delete childEnv[name];
  return spawnSync(process.execPath, ["--import", "tsx", script, ...(script.includes("audit-verify") ? ["--workspace", "nope"] : [])], {
    env: { ...childEnv, ...env } as NodeJS.ProcessEnv,
    encoding: "utf8",
    timeout: 60_000,
  });
}

describe("operator commands", () => {
  it("open the owner's connection read-only: no ALTER ROLE, no writes", async () => {
    const db = await openOperatorDatabase({ databaseUrl: inject("ownerUrl"), dataDir: unusedDataDir });
    const client = await connect(db.ownerUrl);
    try {
      expect((await client.query("SELECT count(*)::int AS n FROM users")).rows[0].n).toBeGreaterThanOrEqual(0);
      await expect(client.query(`ALTER ROLE "${inject("appRole")}" PASSWORD 'chosen-by-an-attacker-000'`)).rejects.toThrow(/read-only transaction/);
      await expect(client.query(`INSERT INTO users (email, name, password_hash) VALUES ('ro@example.test', 'ro', 'x')`)).rejects.toThrow(/read-only transaction/);
      await expect(client.query(`CREATE TABLE ro_probe (id int)`)).rejects.toThrow(/read-only transaction/);
    } finally {
      await client.end();
      await db.stop();
    }
  });

  it("never change the app role's password, even with DATABASE_URL and no AUTH_SECRET", { timeout: 120_000 }, async () => {
    const { url: ownerUrl } = await freshDatabase(inject("serverUrl"));
    const { appUrl } = await prepareDatabase({ databaseUrl: ownerUrl, appPassword: password(), dataDir: unusedDataDir });
    // audit:verify once reset the password to HMAC(""), a public constant.
    runScript("scripts/audit-verify.ts", { DATABASE_URL: ownerUrl });
    const rotate = runScript("scripts/keys-rotate.ts", { DATABASE_URL: ownerUrl, WARDEN_MASTER_KEY: Buffer.alloc(32, 9).toString("base64") });
    expect(rotate.status, rotate.stderr).toBe(0);
    // db:migrate manages the role, and so refuses to run without a password it was given.
    const migrate = runScript("scripts/db-migrate.ts", { DATABASE_URL: ownerUrl });
    expect(migrate.status).toBe(1);
    expect(migrate.stderr).toMatch(/APP_DATABASE_URL .* or APP_DATABASE_PASSWORD/);
    const short = runScript("scripts/db-migrate.ts", { DATABASE_URL: ownerUrl, APP_DATABASE_PASSWORD: "short-password" });
    expect(short.status).toBe(1);
    expect(short.stderr).toMatch(/APP_DATABASE_PASSWORD.*at least 24/);
    expect(await canLogIn(appUrl)).toBe(true);
  });
});

describe.each(servers)("start-up with a CREATEROLE owner that is not a superuser (%s)", (serverUrl) => {
  it("creates the app role, migrates, and proves it is no superuser, no BYPASSRLS, owns nothing, cannot create TEMP tables", { timeout: 120_000 }, async () => {
    const { ownerUrl, name } = await createRoleOwner(serverUrl);
    const secret = password();
    const db = await prepareDatabase({ databaseUrl: ownerUrl, appPassword: secret, dataDir: unusedDataDir });
    expect(db.appRole).toBe(appRoleNameFor(name));
    expect(db.applied.length).toBeGreaterThan(0);

    const owner = await connect(ownerUrl);
    const { rows } = await owner.query(`SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb, rolcanlogin FROM pg_roles WHERE rolname = $1`, [db.appRole]);
    expect(rows[0]).toEqual({ rolsuper: false, rolbypassrls: false, rolcreaterole: false, rolcreatedb: false, rolcanlogin: true });
    const owned = await owner.query(`SELECT count(*)::int AS n FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = $1)`, [db.appRole]);
    expect(owned.rows[0].n).toBe(0);
    await owner.end();

    const app = await connect(db.appUrl);
    expect((await app.query("SELECT current_user")).rows[0].current_user).toBe(db.appRole);
    await expect(app.query("CREATE TEMP TABLE audit_events (id int)")).rejects.toThrow(/permission denied/);
    await app.end();

    // The command an operator runs does the same, and again is a no-op that verifies.
    const migrate = runScript("scripts/db-migrate.ts", { DATABASE_URL: ownerUrl, APP_DATABASE_PASSWORD: secret });
    expect(migrate.status, migrate.stderr).toBe(0);
    expect(migrate.stdout).toMatch(new RegExp(`nothing to apply[\\s\\S]*application role ${db.appRole} verified`));
    const operatorManaged = runScript("scripts/db-migrate.ts", { DATABASE_URL: ownerUrl, APP_DATABASE_URL: db.appUrl });
    expect(operatorManaged.status, operatorManaged.stderr).toBe(0);
    expect(await canLogIn(db.appUrl)).toBe(true);
  });
});

describe.each(servers)("workspace data keys with a CREATEROLE owner that is not a superuser (%s)", (serverUrl) => {
  it("start-up refuses a data key wrapped under a key it does not hold, and keys:rotate, as that owner, sees and re-wraps every workspace's keys", { timeout: 120_000 }, async () => {
    const OLD = Buffer.alloc(32, 31).toString("base64");
    const NEW = Buffer.alloc(32, 32).toString("base64");
    const { ownerUrl } = await createRoleOwner(serverUrl);
    const secret = password();
    await prepareDatabase({ databaseUrl: ownerUrl, appPassword: secret, dataDir: unusedDataDir, masterKey: OLD });
    const owner = await connect(ownerUrl);
    try {
      expect((await owner.query("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")).rows[0]).toEqual({ rolsuper: false, rolbypassrls: false });
      const one = await seedSecrets(owner, keyProviderFrom(OLD), { OPENAI_API_KEY: "one-value" });
      const two = await seedSecrets(owner, keyProviderFrom(OLD), { OPENAI_API_KEY: "two-value" });
      // Held to FORCE RLS, the owner still sees every workspace's keys through its maintenance policy, and no secret.
      expect((await owner.query("SELECT count(*)::int AS n FROM workspace_data_keys")).rows[0].n).toBe(2);
      expect((await owner.query("SELECT count(*)::int AS n FROM secret_versions")).rows[0].n).toBe(0);

      const old = keyProviderFrom(OLD).fingerprint;
      await expect(prepareDatabase({ databaseUrl: ownerUrl, appPassword: secret, dataDir: unusedDataDir, masterKey: NEW })).rejects.toThrow(
        new RegExp(`wrapped under master key ${old} \\(2 workspace data keys\\), which is not configured`),
      );
      await prepareDatabase({ databaseUrl: ownerUrl, appPassword: secret, dataDir: unusedDataDir, masterKey: NEW, previousMasterKeys: OLD });

      const rotate = runScript("scripts/keys-rotate.ts", { DATABASE_URL: ownerUrl, WARDEN_MASTER_KEY: NEW, WARDEN_PREVIOUS_MASTER_KEYS: OLD });
      expect(rotate.status, rotate.stderr).toBe(0);
      expect(rotate.stdout).toMatch(/workspace_data_keys\.wrapped_key: 2 re-wrapped, 0 already current/);
      expect(await readSeeded(owner, keyProviderFrom(NEW), one)).toEqual({ OPENAI_API_KEY: "one-value" });
      expect(await readSeeded(owner, keyProviderFrom(NEW), two)).toEqual({ OPENAI_API_KEY: "two-value" });
      // The old key is gone from the configuration: start-up goes on.
      await prepareDatabase({ databaseUrl: ownerUrl, appPassword: secret, dataDir: unusedDataDir, masterKey: NEW });
      const history = new Map((await readKeyHistory(owner)).map((h) => [h.fingerprint, h]));
      expect(history.get(keyProviderFrom(NEW).fingerprint)?.retiredAt).toBeNull();
      expect(history.get(old)?.retiredAt).toBeInstanceOf(Date);
    } finally {
      await owner.end();
    }
  });
});

describe("the app role and the master keys", () => {
  it("is refused when it may UPDATE a wrapped data key or its fingerprint, or hold any privilege on key_history", { timeout: 120_000 }, async () => {
    const { url } = await freshDatabase(inject("serverUrl"));
    const db = await prepareDatabase({ databaseUrl: url, appPassword: password(), dataDir: unusedDataDir });
    const role = `"${db.appRole}"`;
    const root = await connect(url);
    const refused = async (setup: string, undo: string, problem: RegExp) => {
      await root.query(setup);
      try {
        await expect(verifyAppRole({ ownerUrl: url, role: db.appRole })).rejects.toThrow(problem);
      } finally {
        await root.query(undo);
      }
    };
    const problem = "may rewrite wrapped data keys or touch the key history: ";
    await refused(
      `GRANT UPDATE (wrapped_key) ON public.workspace_data_keys TO ${role}`,
      `REVOKE UPDATE (wrapped_key) ON public.workspace_data_keys FROM ${role}`,
      new RegExp(problem + "public.workspace_data_keys UPDATE \\(wrapped_key\\)"),
    );
    await refused(
      `GRANT UPDATE ON public.workspace_data_keys TO ${role}`,
      `REVOKE UPDATE ON public.workspace_data_keys FROM ${role}; GRANT UPDATE (encryptions, retired_at) ON public.workspace_data_keys TO ${role}`,
      /public.workspace_data_keys UPDATE \(wrapped_key\), public.workspace_data_keys UPDATE \(kek_fingerprint\)/,
    );
    await refused(`GRANT SELECT ON public.key_history TO ${role}`, `REVOKE SELECT ON public.key_history FROM ${role}`, new RegExp(problem + "public.key_history SELECT"));
    await refused(`GRANT DELETE ON public.key_history TO PUBLIC`, `REVOKE DELETE ON public.key_history FROM PUBLIC`, new RegExp(problem + "public.key_history DELETE"));
    await root.end();
    // As the migrations leave it: UPDATE of a data key's use count and retirement only, nothing on key_history.
    await expect(verifyAppRole({ ownerUrl: url, role: db.appRole })).resolves.toBeUndefined();
  });
});

describe("two Warden databases on one server", () => {
  it("get distinct app roles, and preparing one never changes the other's password", { timeout: 120_000 }, async () => {
    const serverUrl = inject("serverUrl");
    const a = await freshDatabase(serverUrl);
    const b = await freshDatabase(serverUrl);
    const secretA = password();
    const first = await prepareDatabase({ databaseUrl: a.url, appPassword: secretA, dataDir: unusedDataDir });
    const second = await prepareDatabase({ databaseUrl: b.url, appPassword: password(), dataDir: unusedDataDir });
    await prepareDatabase({ databaseUrl: b.url, appPassword: password(), dataDir: unusedDataDir });
    expect(first.appRole).not.toBe(second.appRole);
    expect(await canLogIn(first.appUrl)).toBe(true);
    // B's role holds nothing in A's database.
    const ownerA = await connect(a.url);
    const grants = await ownerA.query(`SELECT count(*)::int AS n FROM information_schema.role_table_grants WHERE grantee = $1`, [second.appRole]);
    await ownerA.end();
    expect(grants.rows[0].n).toBe(0);
  });
});

describe("the app role verification", () => {
  it("refuses a role that bypasses RLS, owns a table, can create TEMP tables or is a member of the owner", { timeout: 120_000 }, async () => {
    const serverUrl = inject("serverUrl");
    const { url, name } = await freshDatabase(serverUrl);
    const db = await prepareDatabase({ databaseUrl: url, appPassword: password(), dataDir: unusedDataDir });
    const role = `"${db.appRole}"`;
    const root = await connect(url);
    const owner = (await root.query("SELECT current_user")).rows[0].current_user as string;
    const refused = async (setup: string, undo: string, problem: RegExp) => {
      await root.query(setup);
      try {
        await expect(verifyAppRole({ ownerUrl: url, role: db.appRole })).rejects.toThrow(problem);
      } finally {
        await root.query(undo);
      }
    };
    await refused(`ALTER ROLE ${role} BYPASSRLS`, `ALTER ROLE ${role} NOBYPASSRLS`, /bypasses Row-Level Security/);
    await refused(`CREATE TABLE public.planted (id int); ALTER TABLE public.planted OWNER TO ${role}`, `DROP TABLE public.planted`, /owns objects in this database: table planted/);
    await refused(`GRANT TEMPORARY ON DATABASE "${name}" TO ${role}`, `REVOKE TEMPORARY ON DATABASE "${name}" FROM ${role}`, /can create TEMP tables/);
    await refused(`GRANT TEMPORARY ON DATABASE "${name}" TO PUBLIC`, `REVOKE TEMPORARY ON DATABASE "${name}" FROM PUBLIC`, /can create TEMP tables/);
    await refused(`GRANT "${owner}" TO ${role}`, `REVOKE "${owner}" FROM ${role}`, /member of a privileged role/);
    await refused(`ALTER ROLE ${role} CREATEDB`, `ALTER ROLE ${role} NOCREATEDB`, /CREATEDB/);
    await root.end();
    // Everything undone: verified again.
    await expect(verifyAppRole({ ownerUrl: url, role: db.appRole })).resolves.toBeUndefined();
  });
});

describe("the app role and the audit logs", () => {
  it("is refused when it may INSERT, UPDATE, DELETE or TRUNCATE audit_events or account_events directly, or cannot EXECUTE their append functions", { timeout: 120_000 }, async () => {
    const { url } = await freshDatabase(inject("serverUrl"));
    const db = await prepareDatabase({ databaseUrl: url, appPassword: password(), dataDir: unusedDataDir });
    const role = `"${db.appRole}"`;
    const root = await connect(url);
    const refused = async (setup: string, undo: string, problem: RegExp) => {
      await root.query(setup);
      try {
        await expect(verifyAppRole({ ownerUrl: url, role: db.appRole })).rejects.toThrow(problem);
      } finally {
        await root.query(undo);
      }
    };
    const direct = /may write the audit logs directly instead of through their append functions: /;
    await refused(`GRANT INSERT ON public.audit_events TO ${role}`, `REVOKE INSERT ON public.audit_events FROM ${role}`, new RegExp(direct.source + "public.audit_events INSERT"));
    await refused(
      `GRANT UPDATE (metadata) ON public.audit_events TO ${role}`,
      `REVOKE UPDATE (metadata) ON public.audit_events FROM ${role}`,
      new RegExp(direct.source + "public.audit_events UPDATE"),
    );
    await refused(`GRANT DELETE ON public.account_events TO PUBLIC`, `REVOKE DELETE ON public.account_events FROM PUBLIC`, new RegExp(direct.source + "public.account_events DELETE"));
    await refused(
      `GRANT TRUNCATE ON public.audit_events, public.account_events TO ${role}`,
      `REVOKE TRUNCATE ON public.audit_events, public.account_events FROM ${role}`,
      /public.audit_events TRUNCATE, public.account_events TRUNCATE/,
    );
    for (const fn of ["audit_event_begin", "audit_event_append", "account_event_append"]) {
      await refused(
        `REVOKE EXECUTE ON FUNCTION public.${fn}(uuid, jsonb) FROM ${role}`,
        `GRANT EXECUTE ON FUNCTION public.${fn}(uuid, jsonb) TO ${role}`,
        new RegExp(`cannot EXECUTE the functions it appends the audit logs through: public.${fn}\\(uuid, jsonb\\)`),
      );
    }
    await root.end();
    // As the migrations leave it: SELECT only, and EXECUTE on the writers.
    await expect(verifyAppRole({ ownerUrl: url, role: db.appRole })).resolves.toBeUndefined();
  });
});

describe("an instance from before per-database roles", () => {
  it("has its grants moved from the shared warden_app to its own role, which then verifies", { timeout: 120_000 }, async () => {
    const { url } = await freshDatabase(inject("serverUrl"));
    const earlier = mkdtempSync(join(tmpdir(), "warden-role-migrations-"));
    for (const m of readMigrations()) if (m.name < "20261123000000") cpSync(join(MIGRATIONS_DIR, m.name), join(earlier, m.name), { recursive: true });
    // As an earlier version ran them: every grant to the one role named warden_app.
    await runMigrations(url, { dir: earlier, appRole: "warden_app" });
    const db = await prepareDatabase({ databaseUrl: url, appPassword: password(), dataDir: unusedDataDir });
    expect(db.applied).toContain("20261123000000_app_role_per_database");

    const owner = await connect(url);
    const grants = async (role: string) =>
      (await owner.query(`SELECT table_name || ':' || privilege_type AS g FROM information_schema.role_table_grants WHERE grantee = $1 ORDER BY 1`, [role])).rows.map((r) => r.g);
    expect(await grants("warden_app")).toEqual([]);
    expect(await grants(db.appRole)).toEqual(expect.arrayContaining(["users:SELECT", "audit_events:SELECT", "memberships:DELETE"]));
    const schemaGrantees = await owner.query(
      `SELECT array_agg(a.grantee::regrole::text ORDER BY 1) AS grantees FROM pg_namespace n, aclexplode(n.nspacl) a WHERE n.nspname = 'public' AND a.privilege_type = 'USAGE' AND a.grantee <> 0`,
    );
    expect(schemaGrantees.rows[0].grantees).toContain(db.appRole);
    expect(schemaGrantees.rows[0].grantees).not.toContain("warden_app");
    await owner.end();
    const app = await connect(db.appUrl);
    expect((await app.query("SELECT count(*)::int AS n FROM users")).rows[0].n).toBe(0);
    await app.end();
  });
});
