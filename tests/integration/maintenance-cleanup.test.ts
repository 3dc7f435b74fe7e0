import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { appClient, ownerClient, seedWorkspace } from "../support/owner-db";
import { seedAgent } from "../support/seed-agents";
import { cleanUpStaleRows } from "../../lib/maintenance/clean-up-stale-rows";

let owner: pg.Client;
beforeAll(async () => {
  owner = await ownerClient();
});
afterAll(() => owner.end());

const exists = async (table: string, id: string | number) => (await owner.query(`SELECT 1 FROM ${table} WHERE id = $1`, [id])).rowCount === 1;

/** A session that ended (`ended` days ago, by revocation or by expiry) or is live (null). */
async function session(userId: string, ended: { revokedDaysAgo?: number; expiredDaysAgo?: number } | null) {
  const revoked = ended?.revokedDaysAgo ?? null;
  const expired = ended?.expiredDaysAgo ?? null;
  const { rows } = await owner.query<{ id: string }>(
    `INSERT INTO sessions (user_id, token_hash, idle_expires_at, absolute_expires_at, revoked_at, created_at)
     VALUES ($1, $2,
       CASE WHEN $3::int IS NULL THEN now() + interval '1 hour' ELSE now() - make_interval(days => $3::int) END,
       now() + interval '7 days',
       CASE WHEN $4::int IS NULL THEN NULL ELSE now() - make_interval(days => $4::int) END,
       now() - interval '60 days')
     RETURNING id::text`,
    [userId, randomUUID(), expired, revoked],
  );
  return rows[0].id;
}

async function failure(userId: string, hoursAgo: number) {
  const { rows } = await owner.query<{ id: string }>(
    `INSERT INTO sign_in_failures (user_id, ip, ip_key, occurred_at) VALUES ($1, '198.51.100.7', '198.51.100.7', now() - make_interval(hours => $2::int)) RETURNING id::text`,
    [userId, hoursAgo],
  );
  return rows[0].id;
}

async function invitation(workspaceId: string, expiredDaysAgo: number) {
  const { rows } = await owner.query<{ id: string }>(
    `INSERT INTO invitations (workspace_id, email, role, token_hash, expires_at, created_at)
     VALUES ($1, $2, 'viewer', $3, now() - make_interval(days => $4::int), now() - make_interval(days => $4::int + 7)) RETURNING id::text`,
    [workspaceId, `invitee-${randomUUID().slice(0, 8)}@example.test`, randomUUID(), expiredDaysAgo],
  );
  return rows[0].id;
}

async function hold(workspaceId: string, agentId: string, state: string, daysAgo: number) {
  await owner.query(`INSERT INTO agent_days (workspace_id, agent_id, day) VALUES ($1, $2, current_date - $3::int) ON CONFLICT (agent_id, day) DO NOTHING`, [workspaceId, agentId, daysAgo]);
  const { rows } = await owner.query<{ id: string }>(
    `INSERT INTO spend_holds (workspace_id, agent_id, day, idempotency_key, request_hash, model, held_micros, state, charged_micros, created_at, expires_at, settled_at)
     VALUES ($1, $2, current_date - $4::int, $5, 'h', 'm', 100, $3, CASE WHEN $3 = 'held' THEN NULL ELSE 100 END,
             now() - make_interval(days => $4::int), now() - make_interval(days => $4::int) + interval '10 minutes',
             CASE WHEN $3 = 'held' THEN NULL ELSE now() - make_interval(days => $4::int) END)
     RETURNING id::text`,
    [workspaceId, agentId, state, daysAgo, randomUUID()],
  );
  return rows[0].id;
}

describe("the scheduled cleanup", () => {
  it("removes only rows past their age: sessions ended 30 days ago, failures past 24 hours, invitations expired 30 days ago, holds settled 90 days ago", async () => {
    const ws = await seedWorkspace(owner, "cleanup");
    const agentId = await seedAgent(owner, ws.workspaceId);
    const rows = {
      gone: {
        revokedLongAgo: ["sessions", await session(ws.ownerId, { revokedDaysAgo: 31 })],
        expiredLongAgo: ["sessions", await session(ws.ownerId, { expiredDaysAgo: 40 })],
        oldFailure: ["sign_in_failures", await failure(ws.ownerId, 25)],
        oldInvitation: ["invitations", await invitation(ws.workspaceId, 31)],
        oldCaptured: ["spend_holds", await hold(ws.workspaceId, agentId, "captured", 91)],
        oldVoided: ["spend_holds", await hold(ws.workspaceId, agentId, "voided", 120)],
        oldExpired: ["spend_holds", await hold(ws.workspaceId, agentId, "expired", 100)],
      },
      kept: {
        live: ["sessions", await session(ws.ownerId, null)],
        revokedRecently: ["sessions", await session(ws.ownerId, { revokedDaysAgo: 29 })],
        expiredRecently: ["sessions", await session(ws.ownerId, { expiredDaysAgo: 29 })],
        recentFailure: ["sign_in_failures", await failure(ws.ownerId, 23)],
        recentInvitation: ["invitations", await invitation(ws.workspaceId, 29)],
        recentCaptured: ["spend_holds", await hold(ws.workspaceId, agentId, "captured", 89)],
        // Never settled: the hold sweep's business, whatever its age.
        oldHeld: ["spend_holds", await hold(ws.workspaceId, agentId, "held", 120)],
      },
    };
    const result = await cleanUpStaleRows();
    expect(result.failed).toEqual([]);
    expect(result.sessions).toBeGreaterThanOrEqual(2);
    expect(result.signInFailures).toBeGreaterThanOrEqual(1);
    expect(result.invitations).toBeGreaterThanOrEqual(1);
    expect(result.holds).toBeGreaterThanOrEqual(3);
    for (const [name, [table, id]] of Object.entries(rows.gone)) expect(await exists(table, id), name).toBe(false);
    for (const [name, [table, id]] of Object.entries(rows.kept)) expect(await exists(table, id), name).toBe(true);
  });

  it("the app role cannot clean another workspace's rows, nor delete holds itself", async () => {
    const mine = await seedWorkspace(owner, "cleanup-mine");
    const theirs = await seedWorkspace(owner, "cleanup-theirs");
    const agentId = await seedAgent(owner, theirs.workspaceId);
    const old = await hold(theirs.workspaceId, agentId, "captured", 200);
    const app = await appClient();
    try {
      await app.query("BEGIN");
      await app.query("SELECT set_config('app.workspace_id', $1, true)", [mine.workspaceId]);
      await expect(app.query("SELECT * FROM public.workspace_cleanup($1::uuid)", [theirs.workspaceId])).rejects.toMatchObject({ code: "42501" });
      await app.query("ROLLBACK");
      await app.query("BEGIN");
      await app.query("SELECT set_config('app.workspace_id', $1, true)", [theirs.workspaceId]);
      await expect(app.query("DELETE FROM spend_holds WHERE id = $1", [old])).rejects.toMatchObject({ code: "42501" });
      await app.query("ROLLBACK");
    } finally {
      await app.end();
    }
    expect(await exists("spend_holds", old)).toBe(true);
  });
});
