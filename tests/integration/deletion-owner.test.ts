import { createHash, randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { connect } from "../support/owner-db";
import { createRoleOwner, inTransaction } from "../support/role-owner";
import { prepareDatabase } from "../../lib/db/prepare-database";
import { recordAuditEvents } from "../../lib/audit/record-audit-event";
import { CHAIN_BATCH_SQL, verifyAuditChain, type ChainRow } from "../../lib/audit/verify-audit-chain";
import { rechainWorkspace } from "../../lib/account/erase-account";
import { configuredAuditKeyring } from "../../lib/audit/audit-chain-keys";

// On a managed PostgreSQL the owner is a CREATEROLE role, not a superuser, and FORCE
// RLS holds it too: delete_workspace and the account erasure functions (SECURITY
// DEFINER, run as that owner) must still reach every row they remove or rewrite.

const suffix = () => randomBytes(4).toString("hex");
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

describe("deletion with an owner that is not a superuser", () => {
  it("delete_workspace removes live secrets and the log; account erasure re-chains across workspaces; the chains verify", { timeout: 120_000 }, async () => {
    const { ownerUrl, drop } = await createRoleOwner(inject("serverUrl"), "del");
    cleanups.push(drop);
    const db = await prepareDatabase({ databaseUrl: ownerUrl, appPassword: randomBytes(24).toString("base64url"), dataDir: mkdtempSync(join(tmpdir(), "warden-del-")) });
    const owner = await connect(ownerUrl);
    const app = await connect(db.appUrl);
    try {
      expect((await owner.query("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")).rows[0]).toEqual({ rolsuper: false, rolbypassrls: false });
      const users: Record<string, { id: string; email: string }> = {};
      for (const key of ["a", "b", "c"]) {
        const email = `${key}-${suffix()}@example.test`;
        users[key] = { id: (await owner.query(`INSERT INTO users (email, name, password_hash) VALUES ($1, $1, 'x') RETURNING id::text`, [email])).rows[0].id, email };
      }
      const [doomed, kept] = [randomUUID(), randomUUID()];
      for (const id of [doomed, kept]) {
        await inTransaction(owner, { "app.workspace_id": id }, async () => {
          await owner.query(`INSERT INTO workspaces (id, name, slug) VALUES ($1, $2, $2)`, [id, `del-${id.slice(0, 8)}`]);
          await owner.query(`INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, 'owner'), ($1, $3, 'owner')`, [id, users.a.id, users.b.id]);
          const env = (await owner.query(`SELECT id FROM environments WHERE workspace_id = $1 LIMIT 1`, [id])).rows[0].id;
          await owner.query(`INSERT INTO secrets (workspace_id, environment_id, name) VALUES ($1, $2, 'LIVE')`, [id, env]);
          await recordAuditEvents(
            owner,
            ["a", "b", "a"].map((who) => ({
              workspaceId: id,
              actor: { type: "user" as const, id: users[who].id, label: users[who].email },
              action: "member.role_changed" as const,
              context: { ip: null, userAgent: null, requestId: null },
            })),
          );
        });
      }

      const name = `del-${doomed.slice(0, 8)}`;
      const receipt = await inTransaction(
        app,
        { "app.workspace_id": doomed },
        async () => (await app.query(`SELECT public.delete_workspace($1::uuid, $2::uuid, $3, 'a') AS r`, [doomed, users.a.id, createHash("sha256").update(name).digest("hex")])).rows[0].r,
      );
      expect(receipt.rows_removed).toMatchObject({ secrets: 1, audit_events: 3, memberships: 2, workspaces: 1 });
      const left = await inTransaction(
        owner,
        { "app.workspace_id": doomed },
        async () =>
          (await owner.query(`SELECT (SELECT count(*) FROM secrets WHERE workspace_id = $1)::int AS s, (SELECT count(*) FROM audit_events WHERE workspace_id = $1)::int AS e`, [doomed])).rows[0],
      );
      expect(left).toEqual({ s: 0, e: 0 });

      // b erases their account: a keeps the workspace; b's event in it gets the pseudonym.
      const pseudonym = `deleted-user-${"0123456789ab"}`;
      await inTransaction(app, { "app.user_id": users.b.id }, async () => {
        const { rows } = await app.query<{ workspace_id: string }>(`SELECT workspace_id::text AS workspace_id FROM public.account_erasure_begin($1::uuid)`, [users.b.id]);
        expect(rows.map((r) => r.workspace_id)).toEqual([kept]);
        for (const r of rows) await rechainWorkspace(app, { userId: users.b.id, workspaceId: r.workspace_id, pseudonym, key: configuredAuditKeyring().current });
        await app.query(`SELECT public.account_erasure_finish($1::uuid, $2)`, [users.b.id, pseudonym]);
      });
      const readBatch = (afterSeq: bigint, limit: number) =>
        inTransaction(owner, { "app.workspace_id": kept }, async () => (await owner.query<ChainRow>(CHAIN_BATCH_SQL, [kept, afterSeq.toString(), limit])).rows);
      expect(await verifyAuditChain({ workspaceId: kept, readBatch })).toMatchObject({ status: "verified", count: 4 });
      const labels = (await readBatch(0n, 10)).map((r) => r.actorLabel);
      expect(labels).toEqual([users.a.email, pseudonym, users.a.email, "account erasure"]);
      expect((await owner.query(`SELECT 1 FROM users WHERE id = $1`, [users.b.id])).rowCount).toBe(0);
    } finally {
      await app.end();
      await owner.end();
      await db.stop();
    }
  });
});
