import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type pg from "pg";
import { appClient, context, ownerClient, seedMember, seedWorkspace, type SeededWorkspace } from "../support/owner-db";
import { signInAs } from "../support/request-stub";
import { withWorkspace } from "../../lib/db/with-workspace";
import { changeMemberRole } from "../../lib/members/change-member-role";
import { leaveWorkspace } from "../../lib/members/leave-workspace";
import { inviteMember } from "../../lib/members/invite-member";
import { revokeInvitation } from "../../lib/members/revoke-invitation";
import { acceptInvitation } from "../../lib/members/accept-invitation";
import type { ValidSession } from "../../lib/auth/sessions/check-session";
import type { Role } from "../../lib/generated/prisma/enums";

// Promises that must hold when requests race: each test fires the competing
// requests together (Promise.all) and asserts the invariant on the database.

vi.mock("next/headers", async () => (await import("../support/request-stub")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

let owner: pg.Client;
beforeAll(async () => {
  owner = await ownerClient();
});
afterAll(() => owner.end());

const as = (ws: { workspaceId: string }, actorId: string, actorRole: Role) => ({
  workspaceId: ws.workspaceId,
  actorId,
  actorRole,
  actor: { type: "user" as const, id: actorId, label: "actor" },
  context: context(),
});
const owners = async (ws: SeededWorkspace) => (await owner.query<{ n: number }>(`SELECT count(*)::int AS n FROM memberships WHERE workspace_id = $1 AND role = 'owner'`, [ws.workspaceId])).rows[0].n;

async function twoOwners() {
  const ws = await seedWorkspace(owner, "race");
  const second = await seedMember(owner, ws.workspaceId, "owner");
  return { ws, first: ws.ownerId, second: second.id };
}

describe("the last owner, under concurrency", () => {
  it("two owners leaving at once: exactly one succeeds and one owner remains", async () => {
    for (let round = 0; round < 5; round++) {
      const { ws, first, second } = await twoOwners();
      const results = await Promise.allSettled([first, second].map((id) => withWorkspace(ws.workspaceId, (tx) => leaveWorkspace(tx, as(ws, id, "owner")))));
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "conflict", message: expect.stringMatching(/last owner/) } });
      expect(await owners(ws)).toBe(1);
    }
  });

  it("two owners demoting each other at once: at least one owner remains", async () => {
    for (let round = 0; round < 5; round++) {
      const { ws, first, second } = await twoOwners();
      await Promise.allSettled([
        withWorkspace(ws.workspaceId, (tx) => changeMemberRole(tx, { ...as(ws, first, "owner"), userId: second, role: "admin" })),
        withWorkspace(ws.workspaceId, (tx) => changeMemberRole(tx, { ...as(ws, second, "owner"), userId: first, role: "admin" })),
      ]);
      expect(await owners(ws)).toBeGreaterThanOrEqual(1);
    }
  });

  it("the database refuses a commit that leaves a workspace without an owner, even from a path that skips the check", async () => {
    const ws = await seedWorkspace(owner, "race");
    const app = await appClient();
    try {
      await app.query("BEGIN");
      await app.query(`SELECT set_config('app.workspace_id', $1, true)`, [ws.workspaceId]);
      await app.query(`UPDATE memberships SET role = 'admin' WHERE workspace_id = $1`, [ws.workspaceId]);
      await expect(app.query("COMMIT")).rejects.toThrow(/would have no owner/);
    } finally {
      await app.end();
    }
    expect(await owners(ws)).toBe(1);
  });

  it("two transactions each removing one of two owners, without the app's check, cannot both commit", async () => {
    const { ws, first, second } = await twoOwners();
    const [a, b] = await Promise.all([appClient(), appClient()]);
    try {
      for (const [client, id] of [
        [a, first],
        [b, second],
      ] as const) {
        await client.query("BEGIN");
        await client.query(`SELECT set_config('app.workspace_id', $1, true)`, [ws.workspaceId]);
        await client.query(`DELETE FROM memberships WHERE workspace_id = $1 AND user_id = $2`, [ws.workspaceId, id]);
      }
      const commits = await Promise.allSettled([a.query("COMMIT"), b.query("COMMIT")]);
      expect(commits.filter((c) => c.status === "fulfilled")).toHaveLength(1);
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
    expect(await owners(ws)).toBe(1);
  });

  it("deleting a whole workspace still works: nothing is left to own", async () => {
    const ws = await owner.query<{ id: string }>(`INSERT INTO workspaces (name, slug) VALUES ('gone', 'gone-' || substr(md5(random()::text), 1, 8)) RETURNING id`);
    const user = await owner.query<{ id: string }>(`INSERT INTO users (email, name, password_hash) VALUES ('gone-' || gen_random_uuid() || '@example.test', 'x', 'x') RETURNING id`);
    await owner.query(`INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, 'owner')`, [ws.rows[0].id, user.rows[0].id]);
    await owner.query(`DELETE FROM workspaces WHERE id = $1`, [ws.rows[0].id]);
    expect((await owner.query(`SELECT 1 FROM memberships WHERE workspace_id = $1`, [ws.rows[0].id])).rowCount).toBe(0);
  });
});

describe("authorization in the writing transaction", () => {
  it("a member demoted while their action waits acts with the new role: refused, nothing written", async () => {
    const ws = await seedWorkspace(owner, "race");
    const admin = await seedMember(owner, ws.workspaceId, "admin");
    await signInAs(owner, admin.id);
    const { inviteMember: inviteAction } = await import("../../lib/actions/members/invite-member");
    const demoter = await ownerClient();
    try {
      // The demotion is under way (row locked, not committed) when the action starts.
      await demoter.query("BEGIN");
      await demoter.query(`UPDATE memberships SET role = 'viewer' WHERE workspace_id = $1 AND user_id = $2`, [ws.workspaceId, admin.id]);
      const form = new FormData();
      form.set("workspace", ws.slug);
      form.set("email", "accomplice@example.test");
      form.set("role", "admin");
      let settled = false;
      const pending = inviteAction({ status: "idle" }, form).finally(() => (settled = true));
      await waitForLockWait(demoter, () => settled);
      await demoter.query("COMMIT");
      expect(await pending).toMatchObject({ status: "error", code: "forbidden" });
    } finally {
      await demoter.end();
    }
    const { rows } = await owner.query(`SELECT count(*)::int AS n FROM invitations WHERE workspace_id = $1`, [ws.workspaceId]);
    expect(rows[0].n).toBe(0);
  });
});

/** Until a backend of this database waits for a lock (the action's FOR SHARE read), or the action is done. */
async function waitForLockWait(client: pg.Client, done: () => boolean) {
  for (let i = 0; i < 200 && !done(); i++) {
    const { rowCount } = await client.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
    if (rowCount) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("invitations, under concurrency", () => {
  async function invited() {
    const ws = await seedWorkspace(owner, "race");
    const elsewhere = await seedWorkspace(owner, "race-home");
    const invitee = await seedMember(owner, elsewhere.workspaceId, "viewer");
    const { token, invitationId } = await withWorkspace(ws.workspaceId, (tx) => inviteMember(tx, { ...as(ws, ws.ownerId, "owner"), email: invitee.email, role: "admin" }));
    const session: ValidSession = { sessionId: invitee.id, user: { id: invitee.id, email: invitee.email, name: "invitee", mfaEnabled: false }, mfaVerifiedAt: null };
    return { ws, invitee, session, invitationId, link: `${ws.workspaceId}.${token}` };
  }

  it("a revoke and an accept racing never both succeed", async () => {
    for (let round = 0; round < 8; round++) {
      const { ws, invitee, session, invitationId, link } = await invited();
      const [revoked, accepted] = await Promise.allSettled([
        withWorkspace(ws.workspaceId, (tx) => revokeInvitation(tx, { workspaceId: ws.workspaceId, invitationId, actor: { type: "user", id: ws.ownerId, label: "owner" }, context: context() })),
        acceptInvitation({ link, context: context(), session }),
      ]);
      expect([revoked.status, accepted.status]).not.toEqual(["fulfilled", "fulfilled"]);
      const { rows } = await owner.query(`SELECT accepted_at, revoked_at FROM invitations WHERE id = $1`, [invitationId]);
      const member = await owner.query(`SELECT 1 FROM memberships WHERE workspace_id = $1 AND user_id = $2`, [ws.workspaceId, invitee.id]);
      expect(Boolean(rows[0].accepted_at)).toBe(accepted.status === "fulfilled");
      expect(Boolean(rows[0].revoked_at)).toBe(revoked.status === "fulfilled");
      expect(member.rowCount).toBe(accepted.status === "fulfilled" ? 1 : 0);
    }
  });

  it("two accepts of one link racing: one membership, and the other is told the link is spent", async () => {
    for (let round = 0; round < 5; round++) {
      const { ws, invitee, session, link } = await invited();
      const results = await Promise.allSettled([acceptInvitation({ link, context: context(), session }), acceptInvitation({ link, context: context(), session })]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "not_found", message: expect.stringMatching(/no longer valid/) } });
      const member = await owner.query(`SELECT 1 FROM memberships WHERE workspace_id = $1 AND user_id = $2`, [ws.workspaceId, invitee.id]);
      expect(member.rowCount).toBe(1);
    }
  });
});
