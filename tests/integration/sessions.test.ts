import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { context, ownerClient, PASSWORD, seedMember, seedWorkspace, type SeededWorkspace } from "../support/owner-db";
import { signInWithPassword } from "../../lib/auth/sign-in-with-password";
import { checkSession } from "../../lib/auth/sessions/check-session";
import { revokeWorkspaceSessions } from "../../lib/auth/sessions/revoke-workspace-sessions";
import { revokeMySessions } from "../../lib/auth/sessions/revoke-my-sessions";
import { changePassword } from "../../lib/auth/change-password";
import { withWorkspace } from "../../lib/db/with-workspace";

let owner: pg.Client;
let ws: SeededWorkspace;
let other: SeededWorkspace;

beforeAll(async () => {
  owner = await ownerClient();
  ws = await seedWorkspace(owner, "sess");
  other = await seedWorkspace(owner, "sess-other");
});
afterAll(() => owner.end());

async function signIn(email: string) {
  const result = await signInWithPassword({ email, password: PASSWORD, context: context() });
  if (result.kind !== "session") throw new Error("expected a session");
  return result;
}
const check = (token: string) => checkSession(token, { rotate: true, context: context() });
const revoked = async (sessionId: string) => (await owner.query(`SELECT revoked_at, revoked_reason FROM sessions WHERE id = $1`, [sessionId])).rows[0];

describe("session rotation", () => {
  it("rotates a token older than 15 minutes; the old one works only within the grace window, then its reuse revokes the session", async () => {
    const member = await seedMember(owner, ws.workspaceId, "developer");
    const { token, sessionId } = await signIn(member.email);
    expect((await check(token))?.rotatedToken).toBeUndefined();

    await owner.query(`UPDATE sessions SET rotated_at = now() - interval '16 minutes' WHERE id = $1`, [sessionId]);
    const rotated = await check(token);
    expect(rotated?.rotatedToken).toBeDefined();
    const fresh = rotated!.rotatedToken!;

    // In flight: the old token is still honoured for a few seconds.
    expect((await check(token))?.session.sessionId).toBe(sessionId);

    await owner.query(`UPDATE sessions SET rotated_at = now() - interval '31 seconds' WHERE id = $1`, [sessionId]);
    expect(await check(token)).toBeNull();
    expect(await check(fresh)).toBeNull();
    expect((await revoked(sessionId)).revoked_reason).toBe("reuse_detected");
    const audit = await owner.query(`SELECT count(*)::int AS n FROM audit_events WHERE workspace_id = $1 AND action = 'session.reuse_detected' AND target_id = $2`, [ws.workspaceId, sessionId]);
    expect(audit.rows[0].n).toBe(1);
  });

  it("of two racing rotations only one issues a new token", async () => {
    const member = await seedMember(owner, ws.workspaceId, "viewer");
    const { token, sessionId } = await signIn(member.email);
    await owner.query(`UPDATE sessions SET rotated_at = now() - interval '16 minutes' WHERE id = $1`, [sessionId]);
    const results = await Promise.all([check(token), check(token), check(token)]);
    expect(results.every((r) => r !== null)).toBe(true);
    expect(results.filter((r) => r?.rotatedToken).length).toBe(1);
  });

  it("refuses idle-expired and revoked sessions", async () => {
    const member = await seedMember(owner, ws.workspaceId, "viewer");
    const a = await signIn(member.email);
    await owner.query(`UPDATE sessions SET idle_expires_at = now() - interval '1 second' WHERE id = $1`, [a.sessionId]);
    expect(await check(a.token)).toBeNull();
    const b = await signIn(member.email);
    await owner.query(`UPDATE sessions SET absolute_expires_at = now() - interval '1 second' WHERE id = $1`, [b.sessionId]);
    expect(await check(b.token)).toBeNull();
  });
});

describe("revocation", () => {
  it("Revoke all sessions ends every member's sessions in this workspace only, spares the caller's, and audits the count", async () => {
    const ownerMember = await seedMember(owner, ws.workspaceId, "owner");
    const admin = await seedMember(owner, ws.workspaceId, "admin");
    const outsider = await seedMember(owner, other.workspaceId, "admin");
    const mine = await signIn(ownerMember.email);
    const minePhone = await signIn(ownerMember.email);
    const theirs = [await signIn(admin.email), await signIn(admin.email)];
    const outsiders = await signIn(outsider.email);

    const result = await withWorkspace(ws.workspaceId, (tx) =>
      revokeWorkspaceSessions(tx, {
        workspaceId: ws.workspaceId,
        actor: { type: "user", id: ownerMember.id, label: ownerMember.email },
        exceptSessionId: mine.sessionId,
        context: context(),
      }),
    );
    expect(await check(mine.token)).not.toBeNull();
    expect(await check(minePhone.token)).toBeNull();
    for (const s of theirs) expect(await check(s.token)).toBeNull();
    expect(await check(outsiders.token)).not.toBeNull();
    expect(result.sessionsEnded).toBeGreaterThanOrEqual(3);
    const audit = await owner.query(`SELECT metadata FROM audit_events WHERE workspace_id = $1 AND action = 'session.all_revoked'`, [ws.workspaceId]);
    expect(audit.rows.at(-1)?.metadata.sessionsEnded).toBe(result.sessionsEnded);
  });

  it("a user can end one of their sessions or all the others, and not someone else's", async () => {
    const member = await seedMember(owner, ws.workspaceId, "editor");
    const stranger = await seedMember(owner, ws.workspaceId, "editor");
    const here = await signIn(member.email);
    const laptop = await signIn(member.email);
    const phone = await signIn(member.email);
    const strangers = await signIn(stranger.email);
    const session = (await check(here.token))!.session;

    await expect(revokeMySessions({ session, context: context(), sessionId: strangers.sessionId })).rejects.toThrow(/already ended/);
    expect(await check(strangers.token)).not.toBeNull();
    await revokeMySessions({ session, context: context(), sessionId: laptop.sessionId });
    expect(await check(laptop.token)).toBeNull();
    expect(await check(phone.token)).not.toBeNull();
    await expect(revokeMySessions({ session, context: context(), allOthers: true })).resolves.toEqual({ ended: 1 });
    expect(await check(phone.token)).toBeNull();
    expect(await check(here.token)).not.toBeNull();
  });

  it("a password change ends the user's other sessions, rotates this one, and is limited to 3 per 15 minutes", async () => {
    const member = await seedMember(owner, ws.workspaceId, "developer");
    const here = await signIn(member.email);
    const elsewhere = await signIn(member.email);
    const session = (await check(here.token))!.session;

    await expect(changePassword({ session, context: context(), currentPassword: "not my password", newPassword: "another long passphrase" })).rejects.toThrow(/highlighted/);
    await expect(changePassword({ session, context: context(), currentPassword: PASSWORD, newPassword: "short" })).rejects.toThrow(/highlighted/);
    const changed = await changePassword({ session, context: context(), currentPassword: PASSWORD, newPassword: "another long passphrase" });
    expect(changed.otherSessionsEnded).toBe(1);
    expect(await check(elsewhere.token)).toBeNull();
    expect(await check(changed.token)).not.toBeNull();
    await expect(changePassword({ session, context: context(), currentPassword: "another long passphrase", newPassword: "yet another passphrase" })).rejects.toThrow(/Too many password changes/);
  });
});
