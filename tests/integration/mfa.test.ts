import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type pg from "pg";
import { generate } from "otplib";
import { context, ownerClient, PASSWORD, seedMember, seedWorkspace, type SeededWorkspace } from "../support/owner-db";
import { INVALID_CREDENTIALS, signInWithPassword } from "../../lib/auth/sign-in-with-password";
import { getConfig } from "../../lib/config";
import { checkSession, type ValidSession } from "../../lib/auth/sessions/check-session";
import { confirmEnrollment, startEnrollment } from "../../lib/mfa/enrollment";
import { completeMfaChallenge, INVALID_CODE, EXPIRED_CHALLENGE } from "../../lib/mfa/sign-in-challenge";
import { disableMfa, regenerateRecoveryCodes } from "../../lib/mfa/manage-mfa";
import { assertFreshMfa, verifyStepUp } from "../../lib/mfa/step-up";
import { decrypt } from "../../lib/crypto/envelope";
import type { Membership } from "../../lib/workspaces/membership";

// Every TOTP code evaluated: a guess counts only when it was actually checked.
const totpChecks = vi.hoisted(() => ({ count: 0 }));
vi.mock("../../lib/mfa/totp", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../lib/mfa/totp")>();
  return {
    ...original,
    verifyTotp: (...args: Parameters<typeof original.verifyTotp>) => {
      totpChecks.count++;
      return original.verifyTotp(...args);
    },
  };
});

let owner: pg.Client;
let ws: SeededWorkspace;

beforeAll(async () => {
  owner = await ownerClient();
  ws = await seedWorkspace(owner, "mfa");
});
afterAll(() => owner.end());

const codeAt = (secret: string, offsetSteps = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSteps * 30 });

async function sessionFor(email: string): Promise<ValidSession> {
  const result = await signInWithPassword({ email, password: PASSWORD, context: context() });
  if (result.kind !== "session") throw new Error("expected a session");
  return (await checkSession(result.token, { rotate: false, context: context() }))!.session;
}

/** Enrolls a fresh member the way the browser does, returning what their phone would hold. */
async function enrolledMember() {
  const member = await seedMember(owner, ws.workspaceId, "admin");
  const session = await sessionFor(member.email);
  await startEnrollment(session);
  const { rows } = await owner.query(`SELECT mfa_pending_secret_enc FROM users WHERE id = $1`, [member.id]);
  const secret = decrypt(rows[0].mfa_pending_secret_enc, member.id);
  const { recoveryCodes } = await confirmEnrollment({ session, code: await codeAt(secret), context: context() });
  return { ...member, secret, recoveryCodes, session };
}

describe("enrollment", () => {
  it("activates only after a valid code, stores the seed encrypted, and yields 10 hashed single-use recovery codes", async () => {
    const member = await seedMember(owner, ws.workspaceId, "developer");
    const session = await sessionFor(member.email);
    await startEnrollment(session);
    await expect(confirmEnrollment({ session, code: "000000", context: context() })).rejects.toThrow(/highlighted/);
    const pending = await owner.query(`SELECT mfa_enabled_at, mfa_pending_secret_enc FROM users WHERE id = $1`, [member.id]);
    expect(pending.rows[0].mfa_enabled_at).toBeNull();
    const secret = decrypt(pending.rows[0].mfa_pending_secret_enc, member.id);

    const { recoveryCodes } = await confirmEnrollment({ session, code: await codeAt(secret), context: context() });
    expect(recoveryCodes).toHaveLength(10);
    const { rows } = await owner.query(`SELECT mfa_enabled_at, mfa_secret_enc FROM users WHERE id = $1`, [member.id]);
    expect(rows[0].mfa_enabled_at).not.toBeNull();
    expect(rows[0].mfa_secret_enc).toMatch(/^v1\./);
    expect(rows[0].mfa_secret_enc).not.toContain(secret);
    const codes = await owner.query(`SELECT code_hash FROM mfa_recovery_codes WHERE user_id = $1`, [member.id]);
    expect(codes.rows).toHaveLength(10);
    expect(codes.rows.every((r) => r.code_hash.startsWith("$argon2id$"))).toBe(true);
    // A personal event: in the account's own log, not the workspace's.
    const audit = await owner.query(`SELECT metadata::text AS m FROM account_events WHERE user_id = $1 AND action = 'mfa.enrolled' AND target_id = $2`, [member.id, member.id]);
    expect(audit.rows).toHaveLength(1);
    for (const value of [secret, ...recoveryCodes]) expect(audit.rows[0].m).not.toContain(value);
  });
});

describe("sign-in with MFA", () => {
  it("the password alone grants no session; a code from the app does, and the same code replayed fails", async () => {
    const m = await enrolledMember();
    const sessionsBefore = (await owner.query(`SELECT count(*)::int AS n FROM sessions WHERE user_id = $1`, [m.id])).rows[0].n;
    const first = await signInWithPassword({ email: m.email, password: PASSWORD, context: context() });
    expect(first.kind).toBe("mfa_required");
    expect((await owner.query(`SELECT count(*)::int AS n FROM sessions WHERE user_id = $1`, [m.id])).rows[0].n).toBe(sessionsBefore);
    if (first.kind !== "mfa_required") return;

    const code = await codeAt(m.secret, 1);
    const signedIn = await completeMfaChallenge({ challenge: first.challenge, code, context: context() });
    expect(await checkSession(signedIn.token, { rotate: false, context: context() })).not.toBeNull();

    const again = await signInWithPassword({ email: m.email, password: PASSWORD, context: context() });
    if (again.kind !== "mfa_required") throw new Error("expected a challenge");
    await expect(completeMfaChallenge({ challenge: again.challenge, code, context: context() })).rejects.toThrow(INVALID_CODE);
    const failed = await owner.query(`SELECT count(*)::int AS n FROM account_events WHERE action = 'mfa.challenge_failed' AND user_id = $1`, [m.id]);
    expect(failed.rows[0].n).toBe(1);
  });

  it("a recovery code works once and fails the second time", async () => {
    const m = await enrolledMember();
    const step = async () => {
      const r = await signInWithPassword({ email: m.email, password: PASSWORD, context: context() });
      if (r.kind !== "mfa_required") throw new Error("expected a challenge");
      return r.challenge;
    };
    await expect(completeMfaChallenge({ challenge: await step(), code: m.recoveryCodes[3].toUpperCase(), context: context() })).resolves.toHaveProperty("token");
    await expect(completeMfaChallenge({ challenge: await step(), code: m.recoveryCodes[3], context: context() })).rejects.toThrow(INVALID_CODE);
    const used = await owner.query(`SELECT count(*)::int AS n FROM account_events WHERE action = 'mfa.recovery_code_used' AND user_id = $1`, [m.id]);
    expect(used.rows[0].n).toBe(1);
  });

  it("a challenge expires after 5 minutes, and wrong codes count toward the lockout", async () => {
    const m = await enrolledMember();
    const r = await signInWithPassword({ email: m.email, password: PASSWORD, context: context() });
    if (r.kind !== "mfa_required") throw new Error("expected a challenge");
    for (let i = 0; i < 5; i++) {
      await expect(completeMfaChallenge({ challenge: r.challenge, code: "123456", context: context() })).rejects.toThrow();
    }
    const locked = await owner.query(`SELECT locked_until FROM users WHERE id = $1`, [m.id]);
    expect(locked.rows[0].locked_until).not.toBeNull();

    await owner.query(`UPDATE users SET locked_until = NULL WHERE id = $1`, [m.id]);
    await owner.query(`DELETE FROM sign_in_failures WHERE user_id = $1`, [m.id]);
    const fresh = await signInWithPassword({ email: m.email, password: PASSWORD, context: context() });
    if (fresh.kind !== "mfa_required") throw new Error("expected a challenge");
    await owner.query(`UPDATE mfa_challenges SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [m.id]);
    await expect(completeMfaChallenge({ challenge: fresh.challenge, code: await codeAt(m.secret, 1), context: context() })).rejects.toThrow(EXPIRED_CHALLENGE);
  });
});

describe("second-factor guessing limits", () => {
  // Each guess from its own address: these tests are about the account's budgets, not the address's.
  const elsewhere = () => context(`10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}`);
  const challengeFor = async (email: string) => {
    const r = await signInWithPassword({ email, password: PASSWORD, context: elsewhere() });
    if (r.kind !== "mfa_required") throw new Error("expected a challenge");
    return r.challenge;
  };
  const failures = async (userId: string) => (await owner.query(`SELECT count(*)::int AS n FROM sign_in_failures WHERE user_id = $1`, [userId])).rows[0].n;

  it("a correct password does not clear the failure count before the second factor passes; a wrong code then locks like a wrong password", async () => {
    const m = await enrolledMember();
    const threshold = getConfig().LOCKOUT_THRESHOLD;
    for (let i = 0; i < threshold - 1; i++) {
      await expect(signInWithPassword({ email: m.email, password: `wrong-${i}-password`, context: elsewhere() })).rejects.toThrow(INVALID_CREDENTIALS);
    }
    const challenge = await challengeFor(m.email);
    expect(await failures(m.id)).toBe(threshold - 1);
    await expect(completeMfaChallenge({ challenge, code: "000000", context: elsewhere() })).rejects.toThrow(INVALID_CODE);
    const { rows } = await owner.query(`SELECT locked_until FROM users WHERE id = $1`, [m.id]);
    expect(rows[0].locked_until?.getTime()).toBeGreaterThan(Date.now());
    // Locked: the right code on the same challenge and the right password are refused alike.
    await expect(completeMfaChallenge({ challenge, code: await codeAt(m.secret, 1), context: elsewhere() })).rejects.toThrow(EXPIRED_CHALLENGE);
    await expect(signInWithPassword({ email: m.email, password: PASSWORD, context: elsewhere() })).rejects.toThrow(INVALID_CREDENTIALS);
  });

  it("the second factor passing clears the failures and signs in", async () => {
    const m = await enrolledMember();
    await expect(signInWithPassword({ email: m.email, password: "wrong password", context: elsewhere() })).rejects.toThrow(INVALID_CREDENTIALS);
    const challenge = await challengeFor(m.email);
    expect(await failures(m.id)).toBe(1);
    await expect(completeMfaChallenge({ challenge, code: await codeAt(m.secret, 1), context: elsewhere() })).resolves.toHaveProperty("token");
    expect(await failures(m.id)).toBe(0);
  });

  it("20 parallel wrong codes on one challenge are evaluated at most 5 times, and the challenge counts exactly 5 tries", async () => {
    const m = await enrolledMember();
    const challenge = await challengeFor(m.email);
    totpChecks.count = 0;
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => completeMfaChallenge({ challenge, code: String(100000 + i), context: elsewhere() })));
    expect(results.every((r) => r.status === "rejected")).toBe(true);
    expect(totpChecks.count).toBeLessThanOrEqual(5);
    const { rows } = await owner.query(`SELECT attempts FROM mfa_challenges WHERE user_id = $1`, [m.id]);
    expect(rows).toEqual([{ attempts: 5 }]);
  });

  it("20 parallel wrong codes spread over four challenges are evaluated at most the per-user budget (5) times", async () => {
    const m = await enrolledMember();
    const challenges: string[] = [];
    for (let i = 0; i < 4; i++) challenges.push(await challengeFor(m.email));
    totpChecks.count = 0;
    await Promise.allSettled(Array.from({ length: 20 }, (_, i) => completeMfaChallenge({ challenge: challenges[i % 4], code: String(200000 + i), context: elsewhere() })));
    expect(totpChecks.count).toBeLessThanOrEqual(5);
  });

  it("20 parallel wrong step-up codes from a stolen session are evaluated at most the per-user budget (5) times", async () => {
    const m = await enrolledMember();
    const stale = { ...m.session, user: { ...m.session.user, mfaEnabled: true } };
    totpChecks.count = 0;
    await Promise.allSettled(Array.from({ length: 20 }, (_, i) => verifyStepUp({ session: stale, code: String(300000 + i), context: elsewhere() })));
    expect(totpChecks.count).toBeLessThanOrEqual(5);
    await expect(verifyStepUp({ session: stale, code: await codeAt(m.secret, 1), context: elsewhere() })).rejects.toThrow(/Too many wrong codes/);
  });
});

describe("step-up", () => {
  const membership = (stepUpRequired: boolean): Membership => ({
    workspaceId: ws.workspaceId,
    slug: ws.slug,
    name: "MFA",
    role: "owner",
    policy: { mfa: "none", stepUpRequired, stepUpWindowMinutes: 10 },
  });

  it("refuses a sensitive action without a fresh check and allows it after one", async () => {
    const m = await enrolledMember();
    const stale = { ...m.session, user: { ...m.session.user, mfaEnabled: true }, mfaVerifiedAt: new Date(Date.now() - 11 * 60_000) };
    expect(() => assertFreshMfa(stale, membership(true))).toThrow(/fresh|code/);
    expect(() => assertFreshMfa({ ...stale, mfaVerifiedAt: null }, membership(false))).not.toThrow();

    await expect(verifyStepUp({ session: stale, code: "000000", context: context() })).resolves.toBeNull();
    const verified = await verifyStepUp({ session: stale, code: await codeAt(m.secret, 1), context: context() });
    const after = (await checkSession(verified!.token, { rotate: false, context: context() }))!.session;
    expect(() => assertFreshMfa(after, membership(true))).not.toThrow();
  });
});

describe("wrong-code budget", () => {
  it("after 5 wrong codes anywhere, even a right code is refused: a stolen session cannot guess past MFA", async () => {
    const m = await enrolledMember();
    const stale = { ...m.session, user: { ...m.session.user, mfaEnabled: true } };
    for (let i = 0; i < 3; i++) await expect(verifyStepUp({ session: stale, code: `00000${i}`, context: context() })).resolves.toBeNull();
    for (let i = 0; i < 2; i++) await expect(disableMfa({ session: stale, code: `11111${i}`, context: context() })).rejects.toThrow(/highlighted/);
    await expect(verifyStepUp({ session: stale, code: await codeAt(m.secret, 1), context: context() })).rejects.toThrow(/Too many wrong codes/);
    await expect(disableMfa({ session: stale, code: m.recoveryCodes[0], context: context() })).rejects.toThrow(/Too many wrong codes/);
    const { rows } = await owner.query(`SELECT mfa_enabled_at FROM users WHERE id = $1`, [m.id]);
    expect(rows[0].mfa_enabled_at).not.toBeNull();
  });
});

describe("turning MFA off and regenerating codes", () => {
  it("needs a valid code, is refused while a workspace policy requires MFA, and new recovery codes replace the old", async () => {
    const m = await enrolledMember();
    await expect(disableMfa({ session: m.session, code: "000000", context: context() })).rejects.toThrow(/highlighted/);

    const fresh = await regenerateRecoveryCodes({ session: m.session, code: m.recoveryCodes[0], context: context() });
    expect(fresh).toHaveLength(10);
    expect(fresh).not.toContain(m.recoveryCodes[1]);

    await owner.query(`UPDATE workspaces SET mfa_policy = 'admins' WHERE id = $1`, [ws.workspaceId]);
    await expect(disableMfa({ session: m.session, code: fresh[0], context: context() })).rejects.toThrow(/requires MFA/);
    await owner.query(`UPDATE workspaces SET mfa_policy = 'none' WHERE id = $1`, [ws.workspaceId]);
    await disableMfa({ session: m.session, code: fresh[1], context: context() });
    const { rows } = await owner.query(`SELECT mfa_enabled_at, mfa_secret_enc FROM users WHERE id = $1`, [m.id]);
    expect(rows[0]).toEqual({ mfa_enabled_at: null, mfa_secret_enc: null });
  });
});
