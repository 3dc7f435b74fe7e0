import pg from "pg";
import { AppRoleError } from "./app-role";

// What the application role must never hold (and the one thing it must). Its
// credential is the one the running server has, so anything it can do, a leak of it
// can do. Each check is a query that returns one row (`item`) per offending thing (a
// privilege it holds, or one the app needs and it lacks); $1 is the role's name. Add a
// check here and both `npm start` and `npm run db:migrate` refuse a role that fails it.
export type ForbiddenPrivilege = { problem: string; sql: string };

const ROLE = "(SELECT oid FROM pg_roles WHERE rolname = $1)";

export const FORBIDDEN_PRIVILEGES: ForbiddenPrivilege[] = [
  { problem: "is a superuser", sql: `SELECT 'SUPERUSER' AS item FROM pg_roles WHERE rolname = $1 AND rolsuper` },
  { problem: "bypasses Row-Level Security", sql: `SELECT 'BYPASSRLS' AS item FROM pg_roles WHERE rolname = $1 AND rolbypassrls` },
  {
    problem: "may create roles, databases or replicate",
    sql: `SELECT unnest(array_remove(ARRAY[CASE WHEN rolcreaterole THEN 'CREATEROLE' END, CASE WHEN rolcreatedb THEN 'CREATEDB' END,
                                           CASE WHEN rolreplication THEN 'REPLICATION' END], NULL)) AS item
            FROM pg_roles WHERE rolname = $1`,
  },
  {
    // An owner may ALTER, DROP or disable RLS on what it owns, whatever the grants say.
    problem: "owns objects in this database",
    sql: `SELECT 'table ' || oid::regclass::text AS item FROM pg_class WHERE relowner = ${ROLE}
          UNION ALL SELECT 'function ' || oid::regprocedure::text FROM pg_proc WHERE proowner = ${ROLE}
          UNION ALL SELECT 'schema ' || nspname FROM pg_namespace WHERE nspowner = ${ROLE}
          UNION ALL SELECT 'type ' || oid::regtype::text FROM pg_type WHERE typowner = ${ROLE} AND typrelid = 0
          UNION ALL SELECT 'database ' || datname FROM pg_database WHERE datname = current_database() AND datdba = ${ROLE}`,
  },
  {
    problem: "is a member of a privileged role",
    sql: `SELECT r.rolname AS item FROM pg_roles r, pg_database d
           WHERE d.datname = current_database() AND r.rolname <> $1 AND pg_has_role($1, r.oid, 'MEMBER')
             AND (r.rolname = current_user OR r.oid = d.datdba OR r.rolsuper OR r.rolbypassrls OR r.rolcreaterole OR r.rolcreatedb
                  OR r.rolname IN ('pg_read_all_data', 'pg_write_all_data', 'pg_read_server_files', 'pg_write_server_files',
                                   'pg_execute_server_program', 'pg_signal_backend'))`,
  },
  {
    // A TEMP table named like a real one shadows it for unqualified names.
    problem: "can create TEMP tables in this database (REVOKE TEMPORARY ON DATABASE … FROM PUBLIC and from the role, as the database's owner)",
    sql: `SELECT 'TEMPORARY' AS item WHERE has_database_privilege($1, current_database(), 'TEMPORARY')`,
  },
  {
    // The logs are appended only through the SECURITY DEFINER writers, which take the
    // chain lock, check the workspace and assign the server's time; a direct grant
    // (table-wide or on a column, to the role or to PUBLIC) would skip all of that.
    problem: "may write the audit logs directly instead of through their append functions",
    sql: `SELECT t.name || ' ' || p.privilege AS item
            FROM (VALUES ('public.audit_events'), ('public.account_events')) AS t(name)
            CROSS JOIN (VALUES ('INSERT'), ('UPDATE'), ('DELETE'), ('TRUNCATE')) AS p(privilege)
           WHERE to_regclass(t.name) IS NOT NULL
             AND CASE WHEN p.privilege IN ('INSERT', 'UPDATE') THEN has_any_column_privilege($1, to_regclass(t.name), p.privilege)
                      ELSE has_table_privilege($1, to_regclass(t.name), p.privilege) END`,
  },
  {
    // Not a privilege too many but one missing: without it every audited change fails
    // when it writes its event, so start-up refuses instead.
    problem: "cannot EXECUTE the functions it appends the audit logs through",
    sql: `SELECT f.signature AS item
            FROM (VALUES ('public.audit_event_begin(uuid, jsonb)'), ('public.audit_event_append(uuid, jsonb)'),
                         ('public.account_event_append(uuid, jsonb)')) AS f(signature)
           WHERE to_regprocedure(f.signature) IS NULL OR NOT has_function_privilege($1, to_regprocedure(f.signature), 'EXECUTE')`,
  },
  {
    // A data key is wrapped once and re-wrapped only by keys:rotate as the owner; the
    // app may count its uses and retire it, nothing more. key_history is the
    // operator's record of master keys: the app has no business with it.
    problem: "may rewrite wrapped data keys or touch the key history",
    sql: `SELECT 'public.workspace_data_keys UPDATE (' || c.name || ')' AS item
            FROM (VALUES ('wrapped_key'), ('kek_fingerprint'), ('workspace_id')) AS c(name)
           WHERE to_regclass('public.workspace_data_keys') IS NOT NULL
             AND has_column_privilege($1, to_regclass('public.workspace_data_keys'), c.name, 'UPDATE')
          UNION ALL
          SELECT 'public.key_history ' || p.privilege
            FROM (VALUES ('SELECT'), ('INSERT'), ('UPDATE'), ('DELETE'), ('TRUNCATE'), ('REFERENCES'), ('TRIGGER')) AS p(privilege)
           WHERE to_regclass('public.key_history') IS NOT NULL
             AND CASE WHEN p.privilege IN ('SELECT', 'INSERT', 'UPDATE', 'REFERENCES') THEN has_any_column_privilege($1, to_regclass('public.key_history'), p.privilege)
                      ELSE has_table_privilege($1, to_regclass('public.key_history'), p.privilege) END`,
  },
  {
    problem: "can create schemas or objects",
    sql: `SELECT 'CREATE ON DATABASE' AS item WHERE has_database_privilege($1, current_database(), 'CREATE')
          UNION ALL SELECT 'CREATE ON SCHEMA ' || nspname FROM pg_namespace
           WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' AND has_schema_privilege($1, oid, 'CREATE')`,
  },
];

/**
 * Proves from the catalogs that the application role holds none of the forbidden
 * privileges, whoever created it; refuses (AppRoleError naming each problem) otherwise.
 */
export async function verifyAppRole(options: { ownerUrl: string; role: string }): Promise<void> {
  const client = new pg.Client({ connectionString: options.ownerUrl });
  await client.connect();
  try {
    const exists = await client.query("SELECT rolcanlogin FROM pg_roles WHERE rolname = $1", [options.role]);
    if (!exists.rowCount) throw new AppRoleError(`the application role ${options.role} does not exist`);
    const problems: string[] = [];
    if (!exists.rows[0].rolcanlogin) problems.push("cannot log in (LOGIN)");
    for (const check of FORBIDDEN_PRIVILEGES) {
      const { rows } = await client.query<{ item: string }>(check.sql, [options.role]);
      if (rows.length) problems.push(`${check.problem}: ${rows.map((r) => r.item).join(", ")}`);
    }
    if (problems.length) {
      throw new AppRoleError(`the application role ${options.role} is not safe to run as; it ${problems.join("; it ")}`);
    }
  } finally {
    await client.end();
  }
}
