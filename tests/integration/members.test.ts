import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { context, ownerClient, PASSWORD, seedMember, seedWorkspace } from "../support/owner-db";
import { withWorkspace } from "../../lib/db/with-workspace";
import { changeMemberRole } from "../../lib/members/change-member-role";
import { leaveWorkspace } from "../../lib/members/leave-workspace";
import { removeMember } from "../../lib/members/remove-member";
import { transferOwnership } from "../../lib/members/transfer-ownership";
import { inviteMember } from "../../lib/members/invite-member";
import { acceptInvitation, describeInvitation, parseInvitationLink } from "../../lib/members/accept-invitation";
import { listInvitations } from "../../lib/members/list-invitations";
import { unlockMember } from "../../lib/members/unlock-member";
import { listMembers } from "../../lib/members/list-members";
import { memberQuerySchema } from "../../lib/members/schemas";
import { resolveMembership } from "../../lib/workspaces/resolve-membership";
import type { Role } from "../../lib/generated/prisma/enums";
import { randomUUID } from "node:crypto";
import { resendInvitation } from "../../lib/members/resend-invitation";
import { revokeInvitation } from "../../lib/members/revoke-invitation";
import { signInWithPassword } from "../../lib/auth/sign-in-with-password";
import { checkSession } from "../../lib/auth/sessions/check-session";
import { generateSessionToken, hashToken } from "../../lib/auth/session-token";

let owner: pg.Client;
beforeAll(async () => {
  owner = await ownerClient();
});
afterAll(() => owner.end());

async function team() {
  const ws = await seedWorkspace(owner, "team");
  const admin = await seedMember(owner, ws.workspaceId, "admin");
  const viewer = await seedMember(owner, ws.workspaceId, "viewer");
  return { ws, admin, viewer };
}
const as = (ws: { workspaceId: string }, actorId: string, actorRole: Role) => ({
  workspaceId: ws.workspaceId,
  actorId,
  actorRole,
  actor: { type: "user" as const, id: actorId, label: "actor" },
  context: context(),
});

describe("role rules", () => {
  it("an admin cannot change or remove an owner, nor grant owner", async () => {
    const { ws, admin, viewer } = await team();
    await expect(withWorkspace(ws.workspaceId, (tx) => changeMemberRole(tx, { ...as(ws, admin.id, "admin"), userId: ws.ownerId, role: "viewer" }))).rejects.toThrow(/Only an owner/);
    await expect(withWorkspace(ws.workspaceId, (tx) => removeMember(tx, { ...as(ws, admin.id, "admin"), userId: ws.ownerId }))).rejects.toThrow(/Only an owner/);
    await expect(withWorkspace(ws.workspaceId, (tx) => changeMemberRole(tx, { ...as(ws, admin.id, "admin"), userId: viewer.id, role: "owner" }))).rejects.toThrow(/cannot grant the owner role/);
    const { rows } = await owner.query(`SELECT role FROM memberships WHERE workspace_id = $1 AND user_id = $2`, [ws.workspaceId, ws.ownerId]);
    expect(rows[0].role).toBe("owner");
  });

  it("an admin's owner-to-owner change is refused before anything runs, not answered ok", async () => {
    const { ws, admin } = await team();
    await expect(withWorkspace(ws.workspaceId, (tx) => changeMemberRole(tx, { ...as(ws, admin.id, "admin"), userId: ws.ownerId, role: "owner" }))).rejects.toMatchObject({
      code: "forbidden",
      message: expect.stringMatching(/Only an owner/),
    });
    await expect(withWorkspace(ws.workspaceId, (tx) => changeMemberRole(tx, { ...as(ws, admin.id, "admin"), userId: ws.ownerId, role: "owner", expectedRole: "viewer" }))).rejects.toMatchObject({
      code: "forbidden",
    });
  });

  it("the last owner cannot be demoted, removed or leave", async () => {
    const { ws, admin } = await team();
    await expect(withWorkspace(ws.workspaceId, (tx) => changeMemberRole(tx, { ...as(ws, ws.ownerId, "owner"), userId: ws.ownerId, role: "admin" }))).rejects.toThrow(/last owner/);
    await expect(withWorkspace(ws.workspaceId, (tx) => leaveWorkspace(tx, as(ws, ws.ownerId, "owner")))).rejects.toThrow(/last owner/);
    await withWorkspace(ws.workspaceId, (tx) => transferOwnership(tx, { ...as(ws, ws.ownerId, "owner"), userId: admin.id }));
    const roles = await owner.query(`SELECT user_id, role FROM memberships WHERE workspace_id = $1 AND user_id IN ($2, $3)`, [ws.workspaceId, ws.ownerId, admin.id]);
    expect(Object.fromEntries(roles.rows.map((r) => [r.user_id, r.role]))).toEqual({ [ws.ownerId]: "admin", [admin.id]: "owner" });
  });

  it("a stale form changes nothing, and a role change is audited with before and after and rotates the member's sessions", async () => {
    const { ws, admin, viewer } = await team();
    await expect(withWorkspace(ws.workspaceId, (tx) => changeMemberRole(tx, { ...as(ws, admin.id, "admin"), userId: viewer.id, role: "editor", expectedRole: "developer" }))).rejects.toThrow(
      /meanwhile/,
    );
    await owner.query(`INSERT INTO sessions (user_id, token_hash, idle_expires_at, absolute_expires_at) VALUES ($1, 'x-${viewer.id}', now() + interval '1 hour', now() + interval '1 day')`, [
      viewer.id,
    ]);
    await withWorkspace(ws.workspaceId, (tx) => changeMemberRole(tx, { ...as(ws, admin.id, "admin"), userId: viewer.id, role: "editor", expectedRole: "viewer" }));
    const audit = await owner.query(`SELECT metadata FROM audit_events WHERE workspace_id = $1 AND action = 'member.role_changed'`, [ws.workspaceId]);
    expect(audit.rows[0].metadata).toMatchObject({ before: { role: "viewer" }, after: { role: "editor" } });
    const session = await owner.query(`SELECT rotated_at FROM sessions WHERE user_id = $1`, [viewer.id]);
    expect(session.rows[0].rotated_at.getTime()).toBe(0);
  });

  it("a removed member has no membership at their next request", async () => {
    const { ws, admin, viewer } = await team();
    expect(await resolveMembership(viewer.id, ws.slug)).not.toBeNull();
    await withWorkspace(ws.workspaceId, (tx) => removeMember(tx, { ...as(ws, admin.id, "admin"), userId: viewer.id }));
    // resolveMembership is cached per request; a fresh request asks the database again.
    const { withUser } = await import("../../lib/db/system");
    const left = await withUser(viewer.id, (tx) => tx.membership.findFirst({ where: { userId: viewer.id, workspaceId: ws.workspaceId } }));
    expect(left).toBeNull();
  });
});

describe("invitations", () => {
  it("a new account accepts once; the token is stored hashed and a second use fails", async () => {
    const { ws, admin } = await team();
    const email = `new-${Date.now()}@example.test`;
    const { token } = await withWorkspace(ws.workspaceId, (tx) => inviteMember(tx, { ...as(ws, admin.id, "admin"), email, role: "developer" }));
    const stored = await owner.query(`SELECT token_hash FROM invitations WHERE email = $1`, [email]);
    expect(stored.rows[0].token_hash).not.toContain(token);
    const link = `${ws.workspaceId}.${token}`;
    expect(await describeInvitation(link)).toMatchObject({ email, role: "developer", hasAccount: false });

    await expect(acceptInvitation({ link, context: context(), newAccount: { name: "New", password: "short" } })).rejects.toThrow(/highlighted/);
    const joined = await acceptInvitation({ link, context: context(), newAccount: { name: "New Person", password: PASSWORD } });
    expect(joined.sessionToken).toBeTruthy();
    const member = await owner.query(`SELECT m.role FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = $1`, [email]);
    expect(member.rows).toEqual([{ role: "developer" }]);
    await expect(acceptInvitation({ link, context: context(), newAccount: { name: "Again", password: PASSWORD } })).rejects.toThrow(/no longer valid/);
  });

  it("refuses a duplicate invitation, an existing member, a role above the inviter's, and an expired link", async () => {
    const { ws, admin, viewer } = await team();
    const email = `dup-${Date.now()}@example.test`;
    const invite = (e: string, role: Role = "viewer", actorRole: Role = "admin") => withWorkspace(ws.workspaceId, (tx) => inviteMember(tx, { ...as(ws, admin.id, actorRole), email: e, role }));
    const { token } = await invite(email);
    await expect(invite(email)).rejects.toThrow(/already has a pending invitation/);
    await expect(invite(viewer.email)).rejects.toThrow(/already a member/);
    await expect(invite(`other-${Date.now()}@example.test`, "owner")).rejects.toThrow(/cannot grant/);
    await owner.query(`UPDATE invitations SET expires_at = now() - interval '1 second' WHERE email = $1`, [email]);
    await expect(acceptInvitation({ link: `${ws.workspaceId}.${token}`, context: context(), newAccount: { name: "Late", password: PASSWORD } })).rejects.toThrow(/no longer valid/);
  });
});

describe("invitations carry their inviter's rights", () => {
  async function invitedBy(role: Role, invitedRole: Role) {
    const { ws } = await team();
    const inviter = await seedMember(owner, ws.workspaceId, role);
    const email = `accomplice-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@example.test`;
    const { token } = await withWorkspace(ws.workspaceId, (tx) => inviteMember(tx, { ...as(ws, inviter.id, role), email, role: invitedRole }));
    const accept = () => acceptInvitation({ link: `${ws.workspaceId}.${token}`, context: context(), newAccount: { name: "Accomplice", password: PASSWORD } });
    const pending = async () => (await withWorkspace(ws.workspaceId, (tx) => listInvitations(tx, ws.workspaceId))).find((i) => i.email === email);
    return { ws, inviter, email, accept, pending };
  }
  const joined = async (email: string) => (await owner.query(`SELECT m.role FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = $1`, [email])).rows;

  it("an admin's invitation of an admin stops working once the inviter is removed, and is listed as suspended", async () => {
    const { ws, inviter, email, accept, pending } = await invitedBy("admin", "admin");
    expect(await pending()).toMatchObject({ suspended: false });
    await withWorkspace(ws.workspaceId, (tx) => removeMember(tx, { ...as(ws, ws.ownerId, "owner"), userId: inviter.id }));
    expect(await pending()).toMatchObject({ suspended: true });
    await expect(accept()).rejects.toMatchObject({ code: "not_found", message: expect.stringMatching(/can no longer grant this role/) });
    expect(await joined(email)).toEqual([]);
    const { rows } = await owner.query(`SELECT accepted_at FROM invitations WHERE email = $1`, [email]);
    expect(rows[0].accepted_at).toBeNull();
  });

  it("an inviter demoted below the invited role, or to a role that cannot invite, suspends it; restored, it works again", async () => {
    const { ws, inviter, email, accept } = await invitedBy("admin", "developer");
    await owner.query(`UPDATE memberships SET role = 'editor' WHERE workspace_id = $1 AND user_id = $2`, [ws.workspaceId, inviter.id]);
    await expect(accept()).rejects.toMatchObject({ code: "not_found" });
    await owner.query(`UPDATE memberships SET role = 'developer' WHERE workspace_id = $1 AND user_id = $2`, [ws.workspaceId, inviter.id]);
    await expect(accept()).rejects.toMatchObject({ code: "not_found" });
    await owner.query(`UPDATE memberships SET role = 'admin' WHERE workspace_id = $1 AND user_id = $2`, [ws.workspaceId, inviter.id]);
    await accept();
    expect(await joined(email)).toEqual([{ role: "developer" }]);
  });
});

describe("invitation links", () => {
  it("only a canonical UUID and a well-formed token are parsed; anything else is not valid, never a database error", async () => {
    const token = "a".repeat(43);
    const uuid = "0f8fad5b-d9cb-469f-a165-70867728950e";
    expect(parseInvitationLink(`${uuid}.${token}`)).toEqual({ workspaceId: uuid, token });
    expect(parseInvitationLink(`${uuid.toUpperCase()}.${token}`)).toEqual({ workspaceId: uuid, token });
    for (const link of [
      `${"-".repeat(36)}.${token}`,
      `${"0".repeat(36)}.${token}`,
      `0f8fad5bd9cb-469f-a165-70867728950e-.${token}`,
      `${uuid}.${token}x`,
      `${uuid}.${token.slice(1)}!`,
      `${uuid}\u0000.${token}`,
      `${uuid}.${token}\n`,
      "",
    ]) {
      expect(parseInvitationLink(link), link).toBeNull();
      expect(await describeInvitation(link)).toBeNull();
      await expect(acceptInvitation({ link, context: context(), newAccount: { name: "X", password: PASSWORD } })).rejects.toMatchObject({ code: "not_found" });
    }
  });
});

describe("unlocking follows the role rules", () => {
  async function locked(workspaceId: string, role: Role) {
    const member = await seedMember(owner, workspaceId, role);
    await owner.query(`UPDATE users SET locked_until = now() + interval '1 hour' WHERE id = $1`, [member.id]);
    return member;
  }
  const unlock = (ws: { workspaceId: string }, actorId: string, actorRole: Role, userId: string) =>
    withWorkspace(ws.workspaceId, (tx) => unlockMember(tx, { workspaceId: ws.workspaceId, userId, actorRole, actor: { type: "user", id: actorId, label: "actor" }, context: context() }));
  const lockedUntil = async (id: string) => (await owner.query(`SELECT locked_until FROM users WHERE id = $1`, [id])).rows[0].locked_until;

  it("an admin cannot unlock an owner of the workspace; an owner can", async () => {
    const { ws, admin } = await team();
    const lockedOwner = await locked(ws.workspaceId, "owner");
    await expect(unlock(ws, admin.id, "admin", lockedOwner.id)).rejects.toMatchObject({ code: "forbidden" });
    expect(await lockedUntil(lockedOwner.id)).not.toBeNull();
    await unlock(ws, ws.ownerId, "owner", lockedOwner.id);
    expect(await lockedUntil(lockedOwner.id)).toBeNull();
  });

  it("an admin of workspace A cannot reset brute-force protection for a viewer of A who owns workspace B", async () => {
    const { ws: a, admin } = await team();
    const victim = await locked(a.workspaceId, "viewer");
    const b = await seedWorkspace(owner, "other");
    await owner.query(`INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, 'owner')`, [b.workspaceId, victim.id]);
    await expect(unlock(a, admin.id, "admin", victim.id)).rejects.toMatchObject({ code: "forbidden", message: expect.stringMatching(/higher role/) });
    expect(await lockedUntil(victim.id)).not.toBeNull();
    const audit = await owner.query(`SELECT 1 FROM audit_events WHERE workspace_id = $1 AND action = 'auth.account_unlocked'`, [a.workspaceId]);
    expect(audit.rowCount).toBe(0);
  });

  it("an admin unlocks a developer whose highest role anywhere is not above theirs", async () => {
    const { ws, admin } = await team();
    const dev = await locked(ws.workspaceId, "developer");
    const elsewhere = await seedWorkspace(owner, "other");
    await owner.query(`INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, 'admin')`, [elsewhere.workspaceId, dev.id]);
    await unlock(ws, admin.id, "admin", dev.id);
    expect(await lockedUntil(dev.id)).toBeNull();
  });
});

describe("the members table", () => {
  it("searches, filters by role and MFA, sorts and paginates in the database", async () => {
    const { ws } = await team();
    for (let i = 0; i < 12; i++) await seedMember(owner, ws.workspaceId, i % 2 ? "editor" : "developer");
    const q = (params: Record<string, string>) => listMembers(ws.workspaceId, memberQuerySchema.parse(params));
    expect((await q({})).total).toBe(15);
    const editors = await q({ role: "editor" });
    expect(editors.total).toBe(6);
    expect(editors.rows.every((r) => r.role === "editor")).toBe(true);
    const page2 = await q({ size: "10", page: "2", sort: "email", dir: "asc" });
    expect(page2.rows).toHaveLength(5);
    const all = await q({ size: "100", sort: "email", dir: "asc" });
    expect(all.rows.map((r) => r.email)).toEqual([...all.rows.map((r) => r.email)].sort());
    expect((await q({ q: "ADMIN-" })).rows.every((r) => r.email.startsWith("admin-"))).toBe(true);
    await owner.query(`UPDATE users SET mfa_enabled_at = now() WHERE id = (SELECT user_id FROM memberships WHERE workspace_id = $1 AND role = 'admin')`, [ws.workspaceId]);
    expect((await q({ mfa: "on" })).total).toBe(1);
    expect((await q({ role: "nonsense", page: "-4" })).total).toBe(15);
  });
});

describe("resending an invitation", () => {
  const resend = (ws: { workspaceId: string }, actorId: string, actorRole: Role, invitationId: string) =>
    withWorkspace(ws.workspaceId, (tx) => resendInvitation(tx, { ...as(ws, actorId, actorRole), actor: { type: "user", id: actorId, label: "actor" }, invitationId }));
  const invite = async (ws: { workspaceId: string }, actorId: string, actorRole: Role, email: string, role: Role = "developer") =>
    withWorkspace(ws.workspaceId, (tx) => inviteMember(tx, { ...as(ws, actorId, actorRole), actor: { type: "user", id: actorId, label: "actor" }, email, role }));
  const join = (ws: { workspaceId: string }, token: string, name = "Joiner") => acceptInvitation({ link: `${ws.workspaceId}.${token}`, context: context(), newAccount: { name, password: PASSWORD } });

  it("a resent invitation's old link is refused and the new one joins once; the resend is audited without the token and names the resender", async () => {
    const { ws, admin } = await team();
    const email = `resend-${randomUUID().slice(0, 8)}@example.test`;
    const first = await invite(ws, ws.ownerId, "owner", email);
    const second = await resend(ws, admin.id, "admin", first.invitationId);
    expect(second.token).not.toBe(first.token);
    expect(second).toMatchObject({ invitationId: first.invitationId, email, role: "developer" });

    await expect(join(ws, first.token)).rejects.toMatchObject({ code: "not_found", message: expect.stringMatching(/no longer valid/) });
    await join(ws, second.token);
    await expect(join(ws, second.token, "Again")).rejects.toThrow(/no longer valid/);
    const member = await owner.query(`SELECT m.role FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = $1 AND m.workspace_id = $2`, [email, ws.workspaceId]);
    expect(member.rows).toEqual([{ role: "developer" }]);

    const stored = await owner.query(`SELECT invited_by_id, token_hash FROM invitations WHERE id = $1`, [first.invitationId]);
    expect(stored.rows[0].invited_by_id).toBe(admin.id);
    const audit = await owner.query(`SELECT target_type, target_id, metadata FROM audit_events WHERE workspace_id = $1 AND action = 'member.invitation_resent'`, [ws.workspaceId]);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]).toMatchObject({ target_type: "invitation", target_id: first.invitationId, metadata: { email, role: "developer" } });
    expect(JSON.stringify(audit.rows[0])).not.toContain(second.token);
    expect(JSON.stringify(audit.rows[0])).not.toContain(stored.rows[0].token_hash);
  });

  it("a resend gives the link another 7 days, even after it ran out", async () => {
    const { ws } = await team();
    const first = await invite(ws, ws.ownerId, "owner", `late-${randomUUID().slice(0, 8)}@example.test`);
    await owner.query(`UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE id = $1`, [first.invitationId]);
    const second = await resend(ws, ws.ownerId, "owner", first.invitationId);
    expect(second.expiresAt.getTime()).toBeGreaterThan(Date.now() + 6.9 * 24 * 3600_000);
    await join(ws, second.token);
  });

  it("a revoked or accepted invitation cannot be resent, nor one with a role above the resender's, nor another workspace's", async () => {
    const { ws, admin } = await team();
    const revoked = await invite(ws, ws.ownerId, "owner", `revoked-${randomUUID().slice(0, 8)}@example.test`);
    await withWorkspace(ws.workspaceId, (tx) => revokeInvitation(tx, { ...as(ws, ws.ownerId, "owner"), invitationId: revoked.invitationId }));
    await expect(resend(ws, ws.ownerId, "owner", revoked.invitationId)).rejects.toMatchObject({ code: "not_found", message: expect.stringMatching(/already used or revoked/) });
    await expect(join(ws, revoked.token)).rejects.toThrow(/no longer valid/);

    const accepted = await invite(ws, ws.ownerId, "owner", `accepted-${randomUUID().slice(0, 8)}@example.test`);
    await join(ws, accepted.token);
    await expect(resend(ws, ws.ownerId, "owner", accepted.invitationId)).rejects.toMatchObject({ code: "not_found" });

    const ownerInvite = await invite(ws, ws.ownerId, "owner", `heir-${randomUUID().slice(0, 8)}@example.test`, "owner");
    await expect(resend(ws, admin.id, "admin", ownerInvite.invitationId)).rejects.toMatchObject({ code: "forbidden", message: expect.stringMatching(/cannot grant the owner role/) });

    const other = await seedWorkspace(owner, "elsewhere");
    await expect(resend(other, other.ownerId, "owner", ownerInvite.invitationId)).rejects.toMatchObject({ code: "not_found" });
    const events = await owner.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'member.invitation_resent' AND workspace_id IN ($1, $2)`, [ws.workspaceId, other.workspaceId]);
    expect(events.rows[0].n).toBe(0);
  });

  it("of a resend and an accept of the old link fired together, never both succeed", async () => {
    const { ws } = await team();
    const elsewhere = await seedWorkspace(owner, "home");
    for (let round = 0; round < 6; round++) {
      const person = await seedMember(owner, elsewhere.workspaceId, "viewer");
      const session = { sessionId: randomUUID(), user: { id: person.id, email: person.email, name: "Person", mfaEnabled: false }, mfaVerifiedAt: null };
      const { invitationId, token } = await invite(ws, ws.ownerId, "owner", person.email);
      const [resent, accepted] = await Promise.allSettled([resend(ws, ws.ownerId, "owner", invitationId), acceptInvitation({ link: `${ws.workspaceId}.${token}`, context: context(), session })]);
      expect(
        [resent.status, accepted.status].filter((s) => s === "fulfilled"),
        `round ${round}`,
      ).toHaveLength(1);
      const joined = await owner.query(`SELECT 1 FROM memberships WHERE workspace_id = $1 AND user_id = $2`, [ws.workspaceId, person.id]);
      expect(joined.rowCount).toBe(accepted.status === "fulfilled" ? 1 : 0);
      const events = await owner.query(`SELECT count(*)::int AS n FROM audit_events WHERE workspace_id = $1 AND target_id = $2 AND action = 'member.invitation_resent'`, [
        ws.workspaceId,
        invitationId,
      ]);
      expect(events.rows[0].n).toBe(resent.status === "fulfilled" ? 1 : 0);
    }
  });
});

describe("the members table's paging and Last active", () => {
  it("a page past the end shows the last page, not an error or an empty table", async () => {
    const { ws } = await team();
    for (let i = 0; i < 9; i++) await seedMember(owner, ws.workspaceId, "viewer");
    const last = await listMembers(ws.workspaceId, memberQuerySchema.parse({ size: "10", page: "999" }));
    expect(last).toMatchObject({ total: 12, page: 2 });
    expect(last.rows).toHaveLength(2);
    expect(memberQuerySchema.parse({ page: "100000" }).page).toBe(100000);
    const empty = await listMembers(ws.workspaceId, memberQuerySchema.parse({ q: "nobody-matches-this", page: "5" }));
    expect(empty).toMatchObject({ total: 0, page: 1, rows: [] });
  });

  const lastActive = async (ws: { workspaceId: string }, email: string) => (await listMembers(ws.workspaceId, memberQuerySchema.parse({ q: email }))).rows[0].lastActive;

  it('a member who just signed in is not "Never": signing in sets users.last_seen_at, which the table reads', async () => {
    const { ws, viewer } = await team();
    expect(await lastActive(ws, viewer.email)).toBeNull();
    const before = Date.now();
    const result = await signInWithPassword({ email: viewer.email, password: PASSWORD, context: context(`198.51.100.${Math.floor(Math.random() * 250) + 1}`) });
    expect(result.kind).toBe("session");
    const seen = await lastActive(ws, viewer.email);
    expect(new Date(seen!).getTime()).toBeGreaterThanOrEqual(before - 1000);
  });

  it("using a session keeps Last active current: a session made moments ago counts, and later use moves it on at most once a minute", async () => {
    const { ws, viewer } = await team();
    const token = generateSessionToken();
    // A session created just now (a joined invitation, a reset password): its own touch is not due yet.
    await owner.query(`INSERT INTO sessions (user_id, token_hash, idle_expires_at, absolute_expires_at) VALUES ($1, $2, now() + interval '1 hour', now() + interval '1 day')`, [
      viewer.id,
      hashToken(token),
    ]);
    expect(await checkSession(token, { rotate: false, context: context() })).not.toBeNull();
    const first = await lastActive(ws, viewer.email);
    expect(first).not.toBeNull();

    await owner.query(`UPDATE users SET last_seen_at = now() - interval '2 hours' WHERE id = $1`, [viewer.id]);
    await owner.query(`UPDATE sessions SET last_seen_at = now() - interval '2 hours' WHERE user_id = $1`, [viewer.id]);
    await Promise.all([1, 2, 3].map(() => checkSession(token, { rotate: false, context: context() })));
    const moved = await lastActive(ws, viewer.email);
    expect(Date.now() - new Date(moved!).getTime()).toBeLessThan(60_000);
    const { rows } = await owner.query(`SELECT last_seen_at FROM users WHERE id = $1`, [viewer.id]);
    expect(rows[0].last_seen_at.toISOString()).toBe(moved);

    // Within the minute, a request writes nothing.
    await checkSession(token, { rotate: false, context: context() });
    expect(await lastActive(ws, viewer.email)).toBe(moved);
  });
});
