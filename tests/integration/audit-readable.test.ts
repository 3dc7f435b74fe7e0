import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { appendAuditEvents, context, ownerClient, seedMember, seedWorkspace } from "../support/owner-db";
import { withWorkspace } from "../../lib/db/with-workspace";
import { getAuditLogView } from "../../lib/audit/get-audit-log-view";
import { createApiKey } from "../../lib/api-keys/create-api-key";
import { inviteMember } from "../../lib/members/invite-member";

// The audit page names people, keys and invitations as a person knows them, and
// labels actions in words; the ids and codes stay one click away.

let owner: pg.Client;
beforeAll(async () => {
  owner = await ownerClient();
});
afterAll(() => owner.end());

async function team() {
  const ws = await seedWorkspace(owner, "readable");
  const admin = await seedMember(owner, ws.workspaceId, "admin");
  const viewer = await seedMember(owner, ws.workspaceId, "viewer");
  await owner.query(`UPDATE users SET name = 'Dave Admin' WHERE id = $1`, [admin.id]);
  await owner.query(`UPDATE users SET name = 'Eve Viewer' WHERE id = $1`, [viewer.id]);
  return { ws, admin, viewer };
}

const view = (workspaceId: string, eventId?: string) => getAuditLogView({ workspaceId, filters: {}, eventId });

describe("audit rows a person can read", () => {
  it("a role change reads as “Changed role” by Dave Admin of Eve Viewer, with the emails and ids kept", async () => {
    const { ws, admin, viewer } = await team();
    await appendAuditEvents(owner, ws.workspaceId, [
      {
        actor: { type: "user", id: admin.id, label: admin.email },
        action: "member.role_changed",
        target: { type: "user", id: viewer.id },
        metadata: { email: viewer.email, before: { role: "viewer" }, after: { role: "admin" } },
        context: context(),
      },
    ]);
    const { page } = await view(ws.workspaceId);
    const [row] = page.events;
    expect(row.action).toBe("member.role_changed");
    expect(row.target).toEqual({ type: "user", id: viewer.id });
    expect(row.shown).toEqual({
      action: "Changed role",
      sentence: "Dave Admin changed Eve Viewer's role to admin",
      actor: { name: "Dave Admin", detail: admin.email },
      target: { name: "Eve Viewer", detail: viewer.email },
    });
  });

  it("an API key is named by its name and an invitation by its email, in the page and in the opened event", async () => {
    const { ws } = await team();
    const actor = { type: "user" as const, id: ws.ownerId, label: ws.ownerEmail };
    await withWorkspace(ws.workspaceId, async (tx) => {
      await createApiKey(tx, { workspaceId: ws.workspaceId, name: "SIEM export", scopes: ["audit:read"], expiresAt: null, actorRole: "owner", actor, context: context() });
      await inviteMember(tx, { workspaceId: ws.workspaceId, email: "new.hire@example.test", role: "viewer", actorRole: "owner", actor, context: context() });
    });
    const { page } = await view(ws.workspaceId);
    const [invited, created] = page.events;
    expect(invited.shown).toMatchObject({ action: "Invited member", target: { name: "new.hire@example.test" } });
    expect(created.shown).toMatchObject({ action: "Created API key", target: { name: "SIEM export" }, sentence: expect.stringContaining("“SIEM export”") });
    expect(created.shown.target?.detail).toMatch(/…$/);

    const { details } = await view(ws.workspaceId, created.id);
    expect(details?.event.shown.target?.name).toBe("SIEM export");
    expect(details?.event.target?.id).toBe(created.target?.id);
  });

  it("someone who left is named by the email the events recorded, a session by its reference, and odd ids do not break the page", async () => {
    const { ws, admin, viewer } = await team();
    await appendAuditEvents(owner, ws.workspaceId, [
      { actor: { type: "user", id: viewer.id, label: viewer.email }, action: "session.revoked", target: { type: "session", id: "0123456789abcdef" }, context: context() },
      { actor: { type: "user", id: admin.id, label: admin.email }, action: "member.removed", target: { type: "user", id: viewer.id }, metadata: { email: viewer.email }, context: context() },
      { actor: { type: "user", id: admin.id, label: admin.email }, action: "auth.account_unlocked", target: { type: "user", id: viewer.id }, context: context() },
      { actor: { type: "user", id: admin.id, label: admin.email }, action: "member.role_changed", target: { type: "user", id: '=HYPERLINK("x")' }, context: context() },
    ]);
    await owner.query(`DELETE FROM memberships WHERE workspace_id = $1 AND user_id = $2`, [ws.workspaceId, viewer.id]);
    const { page } = await view(ws.workspaceId);
    const [odd, unlocked, removed, revoked] = page.events;
    expect(odd.shown.target).toEqual({ name: "A former member", detail: null });
    expect(unlocked.shown.target?.name).toBe(viewer.email);
    expect(removed.shown.target?.name).toBe(viewer.email);
    expect(removed.shown.sentence).toBe(`Dave Admin removed ${viewer.email}`);
    expect(revoked.shown.actor).toEqual({ name: viewer.email, detail: null });
    expect(revoked.shown.target).toEqual({ name: "Session 01234567", detail: "0123456789abcdef" });
  });

  it("names nobody from another workspace, even one whose id an event carries", async () => {
    const { ws } = await team();
    const other = await seedWorkspace(owner, "elsewhere");
    await owner.query(`UPDATE users SET name = 'Mallory Outsider' WHERE id = $1`, [other.ownerId]);
    await appendAuditEvents(owner, ws.workspaceId, [
      { actor: { type: "user", id: other.ownerId, label: other.ownerEmail }, action: "member.left", target: { type: "user", id: other.ownerId }, context: context() },
    ]);
    const { page } = await view(ws.workspaceId);
    expect(JSON.stringify(page.events)).not.toContain("Mallory");
    expect(page.events[0].shown.actor.name).toBe(other.ownerEmail);
  });
});
