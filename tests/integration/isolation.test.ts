import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import type pg from "pg";
import { appClient, ownerClient, seedWorkspace, type SeededWorkspace } from "../support/owner-db";

const APP_ROLE = inject("appRole");
let owner: pg.Client;
let app: pg.Client;
let a: SeededWorkspace;
let b: SeededWorkspace;

async function inWorkspace<T>(workspaceId: string, work: () => Promise<T>): Promise<T> {
  await app.query("BEGIN");
  try {
    await app.query("SELECT set_config('app.workspace_id', $1, true)", [workspaceId]);
    return await work();
  } finally {
    await app.query("ROLLBACK");
  }
}

beforeAll(async () => {
  owner = await ownerClient();
  app = await appClient();
  a = await seedWorkspace(owner, "iso-a");
  b = await seedWorkspace(owner, "iso-b");
});

afterAll(async () => {
  await app.end();
  await owner.end();
});

describe("row-level security, as the application role", () => {
  it("a query with no WHERE sees only its own workspace's rows", async () => {
    await inWorkspace(a.workspaceId, async () => {
      for (const table of ["memberships", "audit_events"]) {
        const { rows } = await app.query(`SELECT DISTINCT workspace_id FROM ${table}`);
        expect(rows).toEqual([{ workspace_id: a.workspaceId }]);
      }
      const { rows } = await app.query("SELECT id FROM workspaces");
      expect(rows).toEqual([{ id: a.workspaceId }]);
    });
  });

  it("a query with no context sees no rows", async () => {
    for (const table of ["memberships", "audit_events", "workspaces"]) {
      const { rows } = await app.query(`SELECT count(*)::int AS n FROM ${table}`);
      expect(rows[0].n, table).toBe(0);
    }
  });

  it("the context is transaction-local: the same connection forgets it after commit", async () => {
    await app.query("BEGIN");
    await app.query("SELECT set_config('app.workspace_id', $1, true)", [a.workspaceId]);
    expect((await app.query("SELECT count(*)::int AS n FROM memberships")).rows[0].n).toBeGreaterThan(0);
    await app.query("COMMIT");
    expect((await app.query("SELECT count(*)::int AS n FROM memberships")).rows[0].n).toBe(0);
  });

  it("inserting a row for another workspace is rejected", async () => {
    await inWorkspace(a.workspaceId, async () => {
      await expect(app.query(`INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, 'viewer')`, [b.workspaceId, a.ownerId])).rejects.toThrow(/row-level security/);
    });
    await inWorkspace(a.workspaceId, async () => {
      // The log has no INSERT grant at all; its one writer refuses any workspace but the transaction's.
      await expect(app.query(`INSERT INTO audit_events (workspace_id, actor_type, action) VALUES ($1, 'system', 'workspace.created')`, [b.workspaceId])).rejects.toThrow(/permission denied/);
    });
    await inWorkspace(a.workspaceId, async () => {
      await expect(app.query(`SELECT * FROM public.audit_event_begin($1, '[{}]')`, [b.workspaceId])).rejects.toThrow(/workspace of the transaction/);
    });
  });

  it("moving a row to another workspace is rejected, and another workspace's rows cannot be updated", async () => {
    await inWorkspace(a.workspaceId, async () => {
      await expect(app.query(`UPDATE memberships SET workspace_id = $1`, [b.workspaceId])).rejects.toThrow(/row-level security/);
    });
    await inWorkspace(a.workspaceId, async () => {
      const result = await app.query(`UPDATE memberships SET role = 'viewer' WHERE workspace_id = $1`, [b.workspaceId]);
      expect(result.rowCount).toBe(0);
      const deleted = await app.query(`DELETE FROM workspaces WHERE id = $1`, [b.workspaceId]);
      expect(deleted.rowCount).toBe(0);
    });
  });

  it("writes with no context fail", async () => {
    await expect(app.query(`INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, 'viewer')`, [a.workspaceId, b.ownerId])).rejects.toThrow(/row-level security/);
  });

  it("a user context shows that user's own memberships only, and nothing else", async () => {
    await app.query("BEGIN");
    await app.query("SELECT set_config('app.user_id', $1, true)", [a.ownerId]);
    const memberships = await app.query("SELECT workspace_id FROM memberships");
    const workspaces = await app.query("SELECT id FROM workspaces");
    const audit = await app.query("SELECT count(*)::int AS n FROM audit_events");
    await app.query("ROLLBACK");
    expect(memberships.rows).toEqual([{ workspace_id: a.workspaceId }]);
    expect(workspaces.rows).toEqual([{ id: a.workspaceId }]);
    expect(audit.rows[0].n).toBe(0);
  });
});

describe("the application role", () => {
  it("is not a superuser, cannot bypass RLS, and owns no table", async () => {
    const { rows } = await owner.query(`SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb, rolcanlogin FROM pg_roles WHERE rolname = $1`, [APP_ROLE]);
    expect(rows[0]).toEqual({ rolsuper: false, rolbypassrls: false, rolcreaterole: false, rolcreatedb: false, rolcanlogin: true });
    const owned = await owner.query(`SELECT count(*)::int AS n FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = $1`, [APP_ROLE]);
    expect(owned.rows[0].n).toBe(0);
    const current = await app.query("SELECT current_user");
    expect(current.rows[0].current_user).toBe(APP_ROLE);
  });

  it("cannot UPDATE, DELETE or TRUNCATE audit rows", async () => {
    for (const sql of ["UPDATE audit_events SET action = 'member.added'", "DELETE FROM audit_events", "TRUNCATE audit_events"]) {
      await inWorkspace(a.workspaceId, async () => {
        await expect(app.query(sql), sql).rejects.toThrow(/permission denied/);
      });
    }
  });

  it("cannot create tables", async () => {
    await expect(app.query("CREATE TABLE sneaky (id int)")).rejects.toThrow(/permission denied/);
  });
});

describe("the audit log is append-only for everyone", () => {
  it("its trigger rejects UPDATE, DELETE and TRUNCATE even by the owner role", async () => {
    for (const sql of ["UPDATE audit_events SET action = 'member.added'", "DELETE FROM audit_events", "TRUNCATE audit_events"]) {
      await expect(owner.query(sql), sql).rejects.toThrow(/append-only/);
    }
  });
});

describe("every tenant table is under forced RLS", () => {
  it("each table with a workspace_id column has ENABLE and FORCE RLS, and its reads and writes by the app role are scoped to the context", async () => {
    const { rows: tables } = await owner.query<{ table_name: string }>(`SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'workspace_id'`);
    expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(["memberships", "environments", "workspace_data_keys", "secrets", "secret_versions", "secret_access_windows"]));
    const scopedBy = (expression: string | null) => /app_current_workspace_id\(\)/.test(expression ?? "");
    for (const { table_name } of [...tables, { table_name: "workspaces" }]) {
      const flags = await owner.query(`SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE oid = $1::regclass`, [`public.${table_name}`]);
      expect(flags.rows[0], table_name).toEqual({ relrowsecurity: true, relforcerowsecurity: true });
      // The policies that apply to the app role (named, or PUBLIC); the owner's maintenance policies do not.
      const { rows: policies } = await owner.query<{ policyname: string; qual: string | null; with_check: string | null; cmd: string }>(
        `SELECT policyname, qual, with_check, cmd FROM pg_policies WHERE schemaname = 'public' AND tablename = $1 AND ('public' = ANY(roles) OR $2 = ANY(roles))`,
        [table_name, APP_ROLE],
      );
      const covers = (cmd: string) => policies.filter((p) => p.cmd === "ALL" || p.cmd === cmd);
      // Reads, updates and deletes through USING, inserts and updates through WITH CHECK (an ALL policy's USING checks writes when it has no WITH CHECK).
      const privileges = await owner.query<{ select: boolean; insert: boolean; update: boolean; delete: boolean }>(
        `SELECT has_any_column_privilege($1, $2, 'SELECT') AS select, has_table_privilege($1, $2, 'INSERT') AS insert,
                has_any_column_privilege($1, $2, 'UPDATE') AS update, has_table_privilege($1, $2, 'DELETE') AS delete`,
        [APP_ROLE, `public.${table_name}`],
      );
      const can = privileges.rows[0];
      // A table the app role may not read at all (the instance's deletion receipts) needs no read policy.
      if (can.select)
        expect(
          covers("SELECT").some((p) => scopedBy(p.qual)),
          `${table_name}: SELECT`,
        ).toBe(true);
      if (can.insert)
        expect(
          covers("INSERT").some((p) => scopedBy(p.with_check ?? p.qual)),
          `${table_name}: INSERT`,
        ).toBe(true);
      if (can.update)
        expect(
          covers("UPDATE").some((p) => scopedBy(p.qual) && scopedBy(p.with_check ?? p.qual)),
          `${table_name}: UPDATE`,
        ).toBe(true);
      if (can.delete)
        expect(
          covers("DELETE").some((p) => scopedBy(p.qual)),
          `${table_name}: DELETE`,
        ).toBe(true);
      // No policy the app role falls under opens every row.
      for (const p of policies) expect(p.qual === "true" || p.with_check === "true", `${table_name}: ${p.policyname} is unconditional`).toBe(false);
    }
  });
});
