import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { connect } from "../support/owner-db";
import { createRoleOwner, inWorkspace } from "../support/role-owner";
import { prepareDatabase } from "../../lib/db/prepare-database";
import { recordAuditEvents } from "../../lib/audit/record-audit-event";

// On a managed PostgreSQL the owner is a CREATEROLE role, not a superuser, and FORCE
// RLS holds it too: the retention and cleanup functions (SECURITY DEFINER, run as
// that owner) must still find the workspaces to work on and reach their rows.

const suffix = () => randomBytes(4).toString("hex");
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

describe("retention, cleanup and the hold sweep with an owner that is not a superuser", () => {
  it("lists the workspace past its window, removes its old events and its stale invitation, as the app role", { timeout: 120_000 }, async () => {
    const { ownerUrl, drop } = await createRoleOwner(inject("serverUrl"), "ret");
    cleanups.push(drop);
    const db = await prepareDatabase({ databaseUrl: ownerUrl, appPassword: randomBytes(24).toString("base64url"), dataDir: mkdtempSync(join(tmpdir(), "warden-ret-")) });
    const owner = await connect(ownerUrl);
    const app = await connect(db.appUrl);
    try {
      expect((await owner.query("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")).rows[0]).toEqual({ rolsuper: false, rolbypassrls: false });
      const workspaceId = randomUUID();
      const forever = randomUUID();
      for (const [id, days] of [
        [workspaceId, 30],
        [forever, null],
      ] as const) {
        await inWorkspace(owner, id, async () => {
          await owner.query(`INSERT INTO workspaces (id, name, slug, audit_retention_days) VALUES ($1, $2, $2, $3)`, [id, `ret-${id.slice(0, 8)}`, days]);
          await recordAuditEvents(
            owner,
            [90, 60, 0].map((age) => ({
              workspaceId: id,
              actor: { type: "system" as const, label: "fixture" },
              action: "member.role_changed" as const,
              context: { ip: null, userAgent: null, requestId: null },
              occurredAt: age ? new Date(Date.now() - age * 86_400_000) : undefined,
            })),
          );
          await owner.query(`INSERT INTO invitations (workspace_id, email, role, token_hash, expires_at) VALUES ($1, $2, 'viewer', $3, now() - interval '40 days')`, [
            id,
            `old-${suffix()}@example.test`,
            randomUUID(),
          ]);
        });
      }
      const listed = (await app.query<{ id: string }>("SELECT w::text AS id FROM public.workspaces_with_expired_audit_events() AS w")).rows.map((r) => r.id);
      expect(listed).toEqual([workspaceId]);
      const removed = await inWorkspace(app, workspaceId, async () => (await app.query("SELECT removed::int, last_seq::int FROM public.audit_apply_retention($1::uuid)", [workspaceId])).rows[0]);
      expect(removed).toEqual({ removed: 2, last_seq: 2 });
      const left = await inWorkspace(owner, workspaceId, async () => (await owner.query("SELECT seq::int FROM audit_events WHERE workspace_id = $1 ORDER BY seq", [workspaceId])).rows);
      expect(left).toEqual([{ seq: 3 }]);

      const stale = (await app.query<{ id: string }>("SELECT w::text AS id FROM public.workspaces_with_stale_rows() AS w ORDER BY 1")).rows.map((r) => r.id);
      expect(stale.sort()).toEqual([workspaceId, forever].sort());
      const cleaned = await inWorkspace(app, workspaceId, async () => (await app.query("SELECT invitations::int, holds::int FROM public.workspace_cleanup($1::uuid)", [workspaceId])).rows[0]);
      expect(cleaned).toEqual({ invitations: 1, holds: 0 });

      // The hold sweep's list, under the same owner: a hold past its 10 minutes is found.
      await inWorkspace(owner, forever, async () => {
        const agent = await owner.query<{ id: string }>(`INSERT INTO agents (workspace_id, name, daily_cap_micros) VALUES ($1, 'swept', 1000) RETURNING id`, [forever]);
        await owner.query(`INSERT INTO agent_days (workspace_id, agent_id, day, held_micros) VALUES ($1, $2, current_date, 10)`, [forever, agent.rows[0].id]);
        await owner.query(
          `INSERT INTO spend_holds (workspace_id, agent_id, day, idempotency_key, request_hash, model, held_micros, expires_at)
           VALUES ($1, $2, current_date, 'k', 'h', 'm', 10, now() - interval '1 minute')`,
          [forever, agent.rows[0].id],
        );
      });
      const overdue = (await app.query<{ id: string }>("SELECT w::text AS id FROM public.workspaces_with_expired_holds() AS w")).rows.map((r) => r.id);
      expect(overdue).toEqual([forever]);
    } finally {
      await app.end();
      await owner.end();
      await db.stop();
    }
  });
});
