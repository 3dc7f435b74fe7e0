import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { generate } from "otplib";
import { context, ownerClient, PASSWORD, seedMember, seedWorkspace, type SeededWorkspace } from "../support/owner-db";
import { signInWithPassword } from "../../lib/auth/sign-in-with-password";
import { checkSession } from "../../lib/auth/sessions/check-session";
import { revokeWorkspaceSessions } from "../../lib/auth/sessions/revoke-workspace-sessions";
import { revokeMySessions } from "../../lib/auth/sessions/revoke-my-sessions";
import { changePassword } from "../../lib/auth/change-password";
import { withWorkspace } from "../../lib/db/with-workspace";
import { rotateSession } from "../../lib/auth/sessions/rotate-session";
import { withSystem } from "../../lib/db/system";
import { confirmEnrollment, startEnrollment } from "../../lib/mfa/enrollment";
import { disableMfa } from "../../lib/mfa/manage-mfa";
import { completeMfaChallenge } from "../../lib/mfa/sign-in-challenge";
import { assertMfaPolicySatisfied, mfaPolicyGap } from "../../lib/mfa/step-up";
import { resolveMembership } from "../../lib/workspaces/resolve-membership";
import { decrypt } from "../../lib/crypto/envelope";
import { sessionReference } from "../../lib/auth/sessions/session-reference";

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
// A reused token is an event of the person's account (account_events), not of a workspace.
const reuseAudits = async (sessionId: string) =>
  (await owner.query(`SELECT count(*)::int AS n FROM account_events WHERE action = 'session.reuse_detected' AND target_id = $1`, [sessionReference(sessionId)])).rows[0].n;
// Time passing since the session's tokens were rotated away.
const ageSupersededTokens = (sessionId: string, interval: string) =>
  owner.query(`UPDATE session_superseded_tokens SET superseded_at = superseded_at - $2::interval WHERE session_id = $1`, [sessionId, interval]);

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

    await ageSupersededTokens(sessionId, "31 seconds");
    expect(await check(token)).toBeNull();
    expect(await check(fresh)).toBeNull();
    expect((await revoked(sessionId)).revoked_reason).toBe("reuse_detected");
    expect(await reuseAudits(sessionId)).toBe(1);
  });

  it("any superseded token, not only the last, presented after the grace revokes the session and records session.reuse_detected", async () => {
    const member = await seedMember(owner, ws.workspaceId, "developer");
    const { token: first, sessionId } = await signIn(member.email);
    // One periodic rotation (middleware) and one at a change of privilege (step-up, new role).
    await owner.query(`UPDATE sessions SET rotated_at = now() - interval '16 minutes' WHERE id = $1`, [sessionId]);
    const second = (await check(first))!.rotatedToken!;
    const third = await withSystem((tx) => rotateSession(tx, sessionId));
    expect(second).toBeDefined();
    const family = await owner.query(`SELECT count(*)::int AS n FROM session_superseded_tokens WHERE session_id = $1`, [sessionId]);
    expect(family.rows[0].n).toBe(2);

    await ageSupersededTokens(sessionId, "2 minutes");
    // The first token is two generations old: not the "previous" one, still the session's.
    expect(await check(first)).toBeNull();
    expect((await revoked(sessionId)).revoked_reason).toBe("reuse_detected");
    expect(await check(third)).toBeNull();
    expect(await reuseAudits(sessionId)).toBe(1);
  });

  it("stolen copies of an old token presented together revoke once and audit once", async () => {
    const member = await seedMember(owner, ws.workspaceId, "viewer");
    const { token, sessionId } = await signIn(member.email);
    await withSystem((tx) => rotateSession(tx, sessionId));
    await ageSupersededTokens(sessionId, "1 minute");
    const results = await Promise.all(Array.from({ length: 5 }, () => check(token)));
    expect(results.every((r) => r === null)).toBe(true);
    expect(await reuseAudits(sessionId)).toBe(1);
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

describe("MFA belongs to the session", () => {
  const codeNow = (secret: string) => generate({ secret, epoch: Math.floor(Date.now() / 1000) });

  async function enroll(session: Awaited<ReturnType<typeof check>>, userId: string) {
    await startEnrollment(session!.session);
    const { rows } = await owner.query(`SELECT mfa_pending_secret_enc FROM users WHERE id = $1`, [userId]);
    const secret = decrypt(rows[0].mfa_pending_secret_enc, userId);
    return { secret, ...(await confirmEnrollment({ session: session!.session, code: await codeNow(secret), context: context() })) };
  }

  it("a session that signed in by password alone is refused in a workspace requiring MFA of all, after the user enrolls from another session", async () => {
    const strict = await seedWorkspace(owner, "sess-mfa-all");
    await owner.query(`UPDATE workspaces SET mfa_policy = 'all' WHERE id = $1`, [strict.workspaceId]);
    const member = await seedMember(owner, strict.workspaceId, "developer");
    const a = await signIn(member.email);
    const b = await signIn(member.email);
    const before = (await check(a.token))!.session;
    const membership = (await resolveMembership(member.id, strict.slug))!;
    expect(mfaPolicyGap(before, membership)).toBe("enroll");

    const enrolled = await enroll(await check(b.token), member.id);
    // Session A never passed the new factor: it ends with the enrollment, in the same transaction.
    expect(await check(a.token)).toBeNull();
    expect((await revoked(a.sessionId)).revoked_reason).toBe("mfa_enrolled");
    const bNow = (await check(enrolled.token))!.session;
    expect(() => assertMfaPolicySatisfied(bNow, membership)).not.toThrow();

    // And were it still live (signed in by password while the enrollment committed), the
    // policy reads this session's own MFA, not the account's.
    const passwordOnly = { ...bNow, sessionId: a.sessionId, mfaVerifiedAt: null };
    expect(passwordOnly.user.mfaEnabled).toBe(true);
    expect(mfaPolicyGap(passwordOnly, membership)).toBe("sign_in_again");
    expect(() => assertMfaPolicySatisfied(passwordOnly, membership)).toThrow(/this session signed in without it/);
  });

  it("turning MFA off ends the other sessions and leaves this one without a second factor", async () => {
    const member = await seedMember(owner, ws.workspaceId, "editor");
    const here = await signIn(member.email);
    const enrolled = await enroll(await check(here.token), member.id);
    const phoneChallenge = await signInWithPassword({ email: member.email, password: PASSWORD, context: context() });
    expect(phoneChallenge.kind).toBe("mfa_required");
    if (phoneChallenge.kind !== "mfa_required") return;
    const phone = await completeMfaChallenge({ challenge: phoneChallenge.challenge, code: enrolled.recoveryCodes[0], context: context() });

    const session = (await check(enrolled.token))!.session;
    await disableMfa({ session, code: enrolled.recoveryCodes[1], context: context() });
    expect(await check(phone.token)).toBeNull();
    expect((await revoked(phone.sessionId)).revoked_reason).toBe("mfa_disabled");
    const after = (await check(enrolled.token))!.session;
    expect(after.mfaVerifiedAt).toBeNull();
    expect(after.user.mfaEnabled).toBe(false);
  });
});
