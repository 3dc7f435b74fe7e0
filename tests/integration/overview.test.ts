import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { appendAuditEvents, ownerClient, seedMember, seedWorkspace } from "../support/owner-db";
import { getOverview } from "../../lib/workspaces/get-overview";
import { withWorkspace } from "../../lib/db/with-workspace";
import { listMembersLackingMfa } from "../../lib/security-policy/list-members-lacking-mfa";

let owner: pg.Client;
beforeAll(async () => {
  owner = await ownerClient();
});
afterAll(() => owner.end());

const none = { ip: null, userAgent: null, requestId: null };

async function team() {
  const ws = await seedWorkspace(owner, "overview");
  const admin = await seedMember(owner, ws.workspaceId, "admin");
  const viewer = await seedMember(owner, ws.workspaceId, "viewer");
  await owner.query(`UPDATE users SET name = 'Dave Admin' WHERE id = $1`, [admin.id]);
  await owner.query(`UPDATE users SET name = 'Eve Viewer' WHERE id = $1`, [viewer.id]);
  // The owner has MFA; the admin and the viewer do not.
  await owner.query(`UPDATE users SET mfa_enabled_at = now() WHERE id = $1`, [ws.ownerId]);
  return { ws, admin, viewer };
}

describe("the overview", () => {
  it("counts members and MFA, names who the policy covers without MFA, and reads recent events as sentences", async () => {
    const { ws, admin, viewer } = await team();
    await appendAuditEvents(owner, ws.workspaceId, [
      {
        actor: { type: "user", id: admin.id, label: admin.email },
        action: "member.role_changed",
        target: { type: "user", id: viewer.id },
        metadata: { email: viewer.email, before: { role: "viewer" }, after: { role: "admin" } },
        context: none,
      },
    ]);
    const overview = await getOverview({ workspaceId: ws.workspaceId, policy: "admins", includeEvents: true });
    expect(overview.members).toBe(3);
    expect(overview.withMfa).toBe(1);
    expect(overview.lackingMfa.members.map((m) => m.name)).toEqual(["Dave Admin"]);
    expect(overview.recentEvents?.[0].sentence).toBe("Dave Admin changed Eve Viewer's role to admin");
    expect(overview.recentEvents?.at(-1)?.action).toBe("workspace.created");
  });

  it("shows no events to a viewer who may not read the audit log", async () => {
    const { ws } = await team();
    const overview = await getOverview({ workspaceId: ws.workspaceId, policy: "none", includeEvents: false });
    expect(overview.recentEvents).toBeNull();
    expect(overview.lackingMfa.total).toBe(0);
  });

  it("names nobody from another workspace, even one whose id an event carries", async () => {
    const { ws } = await team();
    const other = await seedWorkspace(owner, "elsewhere");
    await owner.query(`UPDATE users SET name = 'Mallory Outsider' WHERE id = $1`, [other.ownerId]);
    await appendAuditEvents(owner, ws.workspaceId, [
      { actor: { type: "user", id: other.ownerId, label: other.ownerEmail }, action: "member.left", target: { type: "user", id: other.ownerId }, context: none },
    ]);
    const overview = await getOverview({ workspaceId: ws.workspaceId, policy: "none", includeEvents: true });
    expect(overview.recentEvents?.[0].sentence).toBe(`${other.ownerEmail} left the workspace`);
  });

  it("reads events whose target id is not a UUID (an API key may write one) without a query error", async () => {
    const { ws } = await team();
    await appendAuditEvents(owner, ws.workspaceId, [
      { actor: { type: "user", id: ws.ownerId, label: ws.ownerEmail }, action: "member.removed", target: { type: "user", id: '=HYPERLINK("http://evil.test")' }, context: none },
      { actor: { type: "user", id: ws.ownerId, label: ws.ownerEmail }, action: "member.invitation_revoked", target: { type: "invitation", id: "not-a-uuid" }, context: none },
    ]);
    const overview = await getOverview({ workspaceId: ws.workspaceId, policy: "none", includeEvents: true });
    expect(overview.recentEvents?.length).toBeGreaterThanOrEqual(2);
  });
});

describe("who a policy would force to enroll", () => {
  it("lists, per policy, the covered members without MFA", async () => {
    const { ws } = await team();
    const names = (policy: string) => withWorkspace(ws.workspaceId, async (tx) => (await listMembersLackingMfa(tx, { workspaceId: ws.workspaceId, policy })).members.map((m) => m.name));
    expect(await names("none")).toEqual([]);
    expect(await names("admins")).toEqual(["Dave Admin"]);
    expect(await names("all")).toEqual(["Dave Admin", "Eve Viewer"]);
  });
});
