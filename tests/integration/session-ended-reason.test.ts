import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { context, ownerClient, PASSWORD, seedMember, seedWorkspace, type SeededWorkspace } from "../support/owner-db";
import { signInWithPassword } from "../../lib/auth/sign-in-with-password";
import { checkSession, sessionEndedReason } from "../../lib/auth/sessions/check-session";
import { revokeWorkspaceSessions } from "../../lib/auth/sessions/revoke-workspace-sessions";
import { revokeMySessions } from "../../lib/auth/sessions/revoke-my-sessions";
import { changePassword } from "../../lib/auth/change-password";
import { withWorkspace } from "../../lib/db/with-workspace";
import { generateSessionToken } from "../../lib/auth/session-token";
import { AppError } from "../../lib/errors";
import { SIGN_IN_REASONS, signInReason } from "../../lib/auth/sign-in-reasons";

let owner: pg.Client;
let ws: SeededWorkspace;

beforeAll(async () => {
  owner = await ownerClient();
  ws = await seedWorkspace(owner, "ended");
});
afterAll(() => owner.end());

async function signIn(email: string, password = PASSWORD) {
  const result = await signInWithPassword({ email, password, context: context() });
  if (result.kind !== "session") throw new Error("expected a session");
  return result;
}
const sessionOf = async (token: string) => (await checkSession(token, { rotate: false, context: context() }))!.session;

describe("why a presented session no longer signs in", () => {
  it("a device signed out by an owner's Revoke all is told an owner ended all sessions, without naming the owner", async () => {
    const boss = await seedMember(owner, ws.workspaceId, "owner");
    const member = await seedMember(owner, ws.workspaceId, "viewer");
    const mine = await signIn(boss.email);
    const theirs = await signIn(member.email);
    await withWorkspace(ws.workspaceId, (tx) =>
      revokeWorkspaceSessions(tx, { workspaceId: ws.workspaceId, actor: { type: "user", id: boss.id, label: boss.email }, exceptSessionId: mine.sessionId, context: context() }),
    );
    expect(await checkSession(theirs.token, { rotate: false, context: context() })).toBeNull();
    expect(await sessionEndedReason(theirs.token)).toBe("revoked_by_owner");
    const message = SIGN_IN_REASONS.revoked_by_owner;
    expect(message).not.toContain(boss.email);
    expect(message).not.toContain("owner member");
  });

  it("the other device after a password change is told the password was changed; the device that changed it stays live", async () => {
    const member = await seedMember(owner, ws.workspaceId, "developer");
    const here = await signIn(member.email);
    const elsewhere = await signIn(member.email);
    const changed = await changePassword({ session: await sessionOf(here.token), context: context(), currentPassword: PASSWORD, newPassword: "a different long passphrase" });
    expect(await sessionEndedReason(elsewhere.token)).toBe("password_changed");
    expect(await sessionEndedReason(changed.token)).toBeNull();
  });

  it("a session ended from another of the person's devices, one that expired, and a token never issued each answer as they should", async () => {
    const member = await seedMember(owner, ws.workspaceId, "editor");
    const here = await signIn(member.email);
    const phone = await signIn(member.email);
    const idle = await signIn(member.email);
    await revokeMySessions({ session: await sessionOf(here.token), context: context(), sessionId: phone.sessionId });
    expect(await sessionEndedReason(phone.token)).toBe("ended_elsewhere");
    await owner.query(`UPDATE sessions SET idle_expires_at = now() - interval '1 minute' WHERE id = $1`, [idle.sessionId]);
    expect(await sessionEndedReason(idle.token)).toBe("expired");
    expect(await sessionEndedReason(generateSessionToken())).toBeNull();
    await owner.query(`UPDATE sessions SET revoked_at = now(), revoked_reason = 'something_new' WHERE id = $1`, [here.sessionId]);
    expect(await sessionEndedReason(here.token)).toBe("ended");
  });

  it("the sign-in page takes only its own codes: anything else, a repeated parameter or an inherited name, says nothing", () => {
    expect(signInReason("password_changed")).toBe("password_changed");
    for (const forged of ["You were hacked, call 555", "constructor", "__proto__", "toString", ""]) expect(signInReason(forged)).toBeNull();
    expect(signInReason(["expired", "expired"])).toBeNull();
    expect(signInReason(undefined)).toBeNull();
  });
});

describe("the password form's errors", () => {
  const fieldErrorsOf = async (attempt: Promise<unknown>) => {
    const error = await attempt.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    return (error as AppError).fieldErrors;
  };

  it("a wrong current password and a too-short new one are reported together, in one answer", async () => {
    const member = await seedMember(owner, ws.workspaceId, "viewer");
    const session = await sessionOf((await signIn(member.email)).token);
    expect(await fieldErrorsOf(changePassword({ session, context: context(), currentPassword: "not my password", newPassword: "short" }))).toEqual({
      currentPassword: ["That is not your current password"],
      newPassword: ["Use at least 12 characters"],
    });
  });

  it("empty fields are reported with the new password's problems and cost no try of the three", async () => {
    const member = await seedMember(owner, ws.workspaceId, "viewer");
    const session = await sessionOf((await signIn(member.email)).token);
    for (let i = 0; i < 4; i++) {
      expect(await fieldErrorsOf(changePassword({ session, context: context(), currentPassword: "", newPassword: "short" }))).toEqual({
        currentPassword: ["Enter your current password"],
        newPassword: ["Use at least 12 characters"],
      });
    }
    expect(await fieldErrorsOf(changePassword({ session, context: context(), currentPassword: "", newPassword: "" }))).toEqual({
      currentPassword: ["Enter your current password"],
      newPassword: ["Enter a new password"],
    });
    await expect(changePassword({ session, context: context(), currentPassword: PASSWORD, newPassword: "a brand new long passphrase" })).resolves.toMatchObject({ otherSessionsEnded: 0 });
  });
});
