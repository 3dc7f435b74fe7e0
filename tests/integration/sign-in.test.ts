import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type pg from "pg";
import { randomUUID } from "node:crypto";
import { context, ownerClient, PASSWORD, seedMember, seedWorkspace, type SeededWorkspace } from "../support/owner-db";
import { INVALID_CREDENTIALS, signInWithPassword } from "../../lib/auth/sign-in-with-password";
import { hashToken } from "../../lib/auth/session-token";
import { sessionReference } from "../../lib/auth/sessions/session-reference";
import { getConfig } from "../../lib/config";

// Every Argon2 verification, with the hash it ran against: a guess is only an
// evaluation of the account's password when it ran against the account's hash.
const verifications = vi.hoisted(() => [] as string[]);
vi.mock("../../lib/auth/password", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../lib/auth/password")>();
  return {
    ...original,
    verifyPassword: async (phc: string, password: string) => {
      verifications.push(phc);
      return original.verifyPassword(phc, password);
    },
  };
});

let owner: pg.Client;
let ws: SeededWorkspace;

beforeAll(async () => {
  owner = await ownerClient();
  ws = await seedWorkspace(owner, "signin");
});
afterAll(() => owner.end());

const accountEvents = async (action: string, userId: string | null) =>
  (await owner.query(`SELECT target_type, target_id, metadata, request_id FROM account_events WHERE action = $1 AND user_id IS NOT DISTINCT FROM $2::uuid ORDER BY occurred_at`, [action, userId]))
    .rows;
const storedHash = async (userId: string) => (await owner.query(`SELECT password_hash FROM users WHERE id = $1`, [userId])).rows[0].password_hash as string;
/** A fresh address per attempt, so the per-address count stays out of tests about the account's. */
const freshIp = () => `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}`;

describe("signInWithPassword", () => {
  it("creates a server-side session storing only the token's hash, and names it in the account's log by a reference, never its id", async () => {
    const member = await seedMember(owner, ws.workspaceId, "developer");
    const ctx = context();
    const result = await signInWithPassword({ email: member.email, password: PASSWORD, context: ctx });
    if (result.kind !== "session") throw new Error("expected a session");
    expect(result.token.length).toBeGreaterThanOrEqual(43);
    const { rows } = await owner.query(`SELECT token_hash, ip, user_agent FROM sessions WHERE id = $1`, [result.sessionId]);
    expect(rows[0]).toEqual({ token_hash: hashToken(result.token), ip: ctx.ip, user_agent: "vitest" });
    const events = await accountEvents("auth.sign_in_succeeded", member.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ target_type: "session", target_id: sessionReference(result.sessionId), request_id: ctx.requestId });
    expect(events[0].target_id).toMatch(/^[0-9a-f]{16}$/);
    expect(JSON.stringify(events[0])).not.toContain(result.sessionId);
    expect(JSON.stringify(events[0])).not.toContain(PASSWORD);
    const inWorkspace = await owner.query(`SELECT count(*)::int AS n FROM audit_events WHERE workspace_id = $1 AND action = 'auth.sign_in_succeeded'`, [ws.workspaceId]);
    expect(inWorkspace.rows[0].n).toBe(0);
  });

  it("answers the same error for an unknown email and a wrong password, records both where an operator can see them, and never the password", async () => {
    const member = await seedMember(owner, ws.workspaceId, "viewer");
    const unknownCtx = context("203.0.113.11");
    await expect(signInWithPassword({ email: `nobody-${randomUUID()}@example.test`, password: PASSWORD, context: unknownCtx })).rejects.toThrow(INVALID_CREDENTIALS);
    await expect(signInWithPassword({ email: member.email, password: "wrong password here", context: context("203.0.113.11") })).rejects.toThrow(INVALID_CREDENTIALS);
    expect(await accountEvents("auth.sign_in_failed", member.id)).toHaveLength(1);
    const unknown = await owner.query(`SELECT user_id, ip, metadata FROM account_events WHERE action = 'auth.sign_in_failed' AND request_id = $1`, [unknownCtx.requestId]);
    expect(unknown.rows).toEqual([{ user_id: null, ip: "203.0.113.11", metadata: { reason: "unknown_account", failuresInWindow: 0 } }]);
    const all = await owner.query(`SELECT metadata::text AS m FROM account_events UNION ALL SELECT metadata::text FROM audit_events`);
    expect(all.rows.some((r) => r.m.includes("wrong password here"))).toBe(false);
  });

  it(`locks the account after N failures in the window, refuses even the right password, and unlocks after the lock time`, async () => {
    const member = await seedMember(owner, ws.workspaceId, "editor");
    const threshold = getConfig().LOCKOUT_THRESHOLD;
    for (let i = 0; i < threshold; i++) {
      await expect(signInWithPassword({ email: member.email, password: `wrong-${i}-password`, context: context(freshIp()) })).rejects.toThrow(INVALID_CREDENTIALS);
    }
    const locked = await owner.query(`SELECT locked_until FROM users WHERE id = $1`, [member.id]);
    expect(locked.rows[0].locked_until.getTime()).toBeGreaterThan(Date.now());
    expect(await accountEvents("auth.account_locked", member.id)).toHaveLength(1);
    await expect(signInWithPassword({ email: member.email, password: PASSWORD, context: context() })).rejects.toThrow(INVALID_CREDENTIALS);

    // The lock runs out: the clock is moved on rather than waited for.
    const { LOCKOUT_DURATION_SECONDS } = getConfig();
    await owner.query(`UPDATE sign_in_failures SET occurred_at = occurred_at - make_interval(secs => $2 + 1) WHERE user_id = $1`, [member.id, LOCKOUT_DURATION_SECONDS]);
    await owner.query(`UPDATE users SET locked_until = now() - interval '1 second' WHERE id = $1`, [member.id]);
    await expect(signInWithPassword({ email: member.email, password: PASSWORD, context: context() })).resolves.toMatchObject({ userId: member.id });
    expect(await accountEvents("auth.account_unlocked", member.id)).toHaveLength(1);
    const after = await owner.query(`SELECT locked_until, (SELECT count(*)::int FROM sign_in_failures WHERE user_id = $1) AS failures FROM users WHERE id = $1`, [member.id]);
    expect(after.rows[0]).toEqual({ locked_until: null, failures: 0 });
  });

  it("refuses an address with too many failures across accounts, with the same error", async () => {
    const member = await seedMember(owner, ws.workspaceId, "viewer");
    const ip = "192.0.2.77";
    await owner.query(`INSERT INTO sign_in_failures (ip, ip_key) SELECT $1, $1 FROM generate_series(1, $2)`, [ip, getConfig().LOCKOUT_IP_THRESHOLD]);
    await expect(signInWithPassword({ email: member.email, password: PASSWORD, context: context(ip) })).rejects.toThrow(INVALID_CREDENTIALS);
    await expect(signInWithPassword({ email: member.email, password: PASSWORD, context: context("192.0.2.78") })).resolves.toMatchObject({ userId: member.id });
  });

  it("counts an IPv6 client's failures on its /64: other addresses in the same /64 are refused, the next /64 is not", async () => {
    const member = await seedMember(owner, ws.workspaceId, "viewer");
    const prefix = `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:7`;
    for (let i = 1; i <= getConfig().LOCKOUT_IP_THRESHOLD; i++) {
      await expect(signInWithPassword({ email: `nobody-${i}-${randomUUID()}@example.test`, password: "guess", context: context(`${prefix}::${i.toString(16)}`) })).rejects.toThrow(INVALID_CREDENTIALS);
    }
    await expect(signInWithPassword({ email: member.email, password: PASSWORD, context: context(`${prefix}:ffff:ffff:ffff:ffff`) })).rejects.toThrow(INVALID_CREDENTIALS);
    await expect(signInWithPassword({ email: member.email, password: PASSWORD, context: context(`${prefix.replace(/:7$/, ":8")}::1`) })).resolves.toMatchObject({ userId: member.id });
  });

  it("rehashes a password stored with weaker Argon2 parameters", async () => {
    const { hash } = await import("@node-rs/argon2");
    const weak = await hash(PASSWORD, { algorithm: 2, memoryCost: 4096, timeCost: 1, parallelism: 1 });
    const member = await seedMember(owner, ws.workspaceId, "viewer");
    await owner.query(`UPDATE users SET password_hash = $1 WHERE id = $2`, [weak, member.id]);
    await signInWithPassword({ email: member.email, password: PASSWORD, context: context() });
    const { rows } = await owner.query(`SELECT password_hash FROM users WHERE id = $1`, [member.id]);
    expect(rows[0].password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });
});

describe("lockout under parallel bursts", () => {
  const burst = async (email: string, passwords: string[]) => Promise.allSettled(passwords.map((password) => signInWithPassword({ email, password, context: context(freshIp()) })));

  it("50 parallel attempts evaluate the account's password at most LOCKOUT_THRESHOLD times, and the right password sent after is refused", async () => {
    const member = await seedMember(owner, ws.workspaceId, "editor");
    const hash = await storedHash(member.id);
    const threshold = getConfig().LOCKOUT_THRESHOLD;
    verifications.length = 0;
    const wrong = Array.from({ length: 50 }, (_, i) => `wrong-${i}-password`);
    const results = await burst(member.email, wrong);
    expect(results.every((r) => r.status === "rejected")).toBe(true);
    expect(verifications.filter((phc) => phc === hash).length).toBeLessThanOrEqual(threshold);
    expect(verifications).toHaveLength(50); // the refused ones still cost one (dummy) verification each

    verifications.length = 0;
    await expect(signInWithPassword({ email: member.email, password: PASSWORD, context: context(freshIp()) })).rejects.toThrow(INVALID_CREDENTIALS);
    expect(verifications.filter((phc) => phc === hash)).toHaveLength(0);
    const { rows } = await owner.query(`SELECT locked_until FROM users WHERE id = $1`, [member.id]);
    expect(rows[0].locked_until.getTime()).toBeGreaterThan(Date.now());
    expect(await accountEvents("auth.account_locked", member.id)).toHaveLength(1);
  });

  it("9 wrong passwords and the right one fired together: at most LOCKOUT_THRESHOLD evaluations, and whatever the order, the right password after the burst is refused", async () => {
    const member = await seedMember(owner, ws.workspaceId, "editor");
    const hash = await storedHash(member.id);
    const threshold = getConfig().LOCKOUT_THRESHOLD;
    verifications.length = 0;
    const passwords = Array.from({ length: 9 }, (_, i) => `wrong-${i}-password`);
    passwords.splice(Math.floor(Math.random() * 10), 0, PASSWORD);
    await burst(member.email, passwords);
    expect(verifications.filter((phc) => phc === hash).length).toBeLessThanOrEqual(threshold);
    await expect(signInWithPassword({ email: member.email, password: PASSWORD, context: context(freshIp()) })).rejects.toThrow(INVALID_CREDENTIALS);
  });
});

describe("enumeration by timing", () => {
  it("a known account's refusal costs what an unknown email's does (medians within 20 %, 36 interleaved samples each, the account in five workspaces)", async () => {
    const samples = 36;
    const known: { email: string }[] = [];
    const workspaces = [ws];
    for (let i = 0; i < 4; i++) workspaces.push(await seedWorkspace(owner, "timing"));
    for (let i = 0; i < samples; i++) {
      const member = await seedMember(owner, ws.workspaceId, "viewer");
      for (const other of workspaces.slice(1)) {
        await owner.query(`INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, 'viewer')`, [other.workspaceId, member.id]);
      }
      known.push(member);
    }
    const time = async (email: string) => {
      const start = performance.now();
      await signInWithPassword({ email, password: "not the password", context: context(freshIp()) }).catch(() => {});
      return performance.now() - start;
    };
    await time(`warm-up-${randomUUID()}@example.test`);
    await time(known[0].email);
    const knownTimes: number[] = [];
    const unknownTimes: number[] = [];
    for (let i = 0; i < samples; i++) {
      // Alternate which goes first, so drift in the machine's load falls on both.
      const unknownEmail = `nobody-${randomUUID()}@example.test`;
      if (i % 2 === 0) {
        knownTimes.push(await time(known[i].email));
        unknownTimes.push(await time(unknownEmail));
      } else {
        unknownTimes.push(await time(unknownEmail));
        knownTimes.push(await time(known[i].email));
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const [k, u] = [median(knownTimes), median(unknownTimes)];
    expect(Math.abs(k - u) / Math.min(k, u), `known ${k.toFixed(1)} ms, unknown ${u.toFixed(1)} ms`).toBeLessThan(0.2);
  });
});
