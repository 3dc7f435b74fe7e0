import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { context, ownerClient, PASSWORD, seedMember, seedWorkspace, type SeededWorkspace } from "../support/owner-db";
import { INVALID_CREDENTIALS, signInWithPassword } from "../../lib/auth/sign-in-with-password";
import { hashToken } from "../../lib/auth/session-token";
import { getConfig } from "../../lib/config";

let owner: pg.Client;
let ws: SeededWorkspace;

beforeAll(async () => {
  owner = await ownerClient();
  ws = await seedWorkspace(owner, "signin");
});
afterAll(() => owner.end());

const auditCount = async (action: string, targetId: string) =>
  (await owner.query(`SELECT count(*)::int AS n FROM audit_events WHERE workspace_id = $1 AND action = $2 AND target_id = $3`, [ws.workspaceId, action, targetId])).rows[0].n;

describe("signInWithPassword", () => {
  it("creates a server-side session storing only the token's hash, and audits it in the member's workspace", async () => {
    const member = await seedMember(owner, ws.workspaceId, "developer");
    const ctx = context();
    const result = await signInWithPassword({ email: member.email, password: PASSWORD, context: ctx });
    if (result.kind !== "session") throw new Error("expected a session");
    expect(result.token.length).toBeGreaterThanOrEqual(43);
    const { rows } = await owner.query(`SELECT token_hash, ip, user_agent FROM sessions WHERE id = $1`, [result.sessionId]);
    expect(rows[0]).toEqual({ token_hash: hashToken(result.token), ip: ctx.ip, user_agent: "vitest" });
    const audit = await owner.query(`SELECT metadata, request_id FROM audit_events WHERE action = 'auth.sign_in_succeeded' AND target_id = $1`, [result.sessionId]);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0].request_id).toBe(ctx.requestId);
    expect(JSON.stringify(audit.rows[0])).not.toContain(PASSWORD);
  });

  it("answers the same error for an unknown email and a wrong password, and never records the password", async () => {
    const member = await seedMember(owner, ws.workspaceId, "viewer");
    await expect(signInWithPassword({ email: "nobody@example.test", password: PASSWORD, context: context("203.0.113.11") })).rejects.toThrow(INVALID_CREDENTIALS);
    await expect(signInWithPassword({ email: member.email, password: "wrong password here", context: context("203.0.113.11") })).rejects.toThrow(INVALID_CREDENTIALS);
    expect(await auditCount("auth.sign_in_failed", member.id)).toBe(1);
    const all = await owner.query(`SELECT metadata::text AS m FROM audit_events WHERE workspace_id = $1`, [ws.workspaceId]);
    expect(all.rows.some((r) => r.m.includes("wrong password here"))).toBe(false);
  });

  it(`locks the account after N failures in the window, refuses even the right password, and unlocks after the lock time`, async () => {
    const member = await seedMember(owner, ws.workspaceId, "editor");
    const threshold = getConfig().LOCKOUT_THRESHOLD;
    for (let i = 0; i < threshold; i++) {
      await expect(signInWithPassword({ email: member.email, password: `wrong-${i}-password`, context: context(`198.51.100.${i + 1}`) })).rejects.toThrow(INVALID_CREDENTIALS);
    }
    const locked = await owner.query(`SELECT locked_until FROM users WHERE id = $1`, [member.id]);
    expect(locked.rows[0].locked_until.getTime()).toBeGreaterThan(Date.now());
    expect(await auditCount("auth.account_locked", member.id)).toBe(1);
    await expect(signInWithPassword({ email: member.email, password: PASSWORD, context: context() })).rejects.toThrow(INVALID_CREDENTIALS);

    // The lock runs out (moved into the past here rather than waited for).
    await owner.query(`UPDATE users SET locked_until = now() - interval '1 second' WHERE id = $1`, [member.id]);
    await expect(signInWithPassword({ email: member.email, password: PASSWORD, context: context() })).resolves.toMatchObject({ userId: member.id });
    expect(await auditCount("auth.account_unlocked", member.id)).toBe(1);
    const after = await owner.query(`SELECT locked_until, (SELECT count(*)::int FROM sign_in_failures WHERE user_id = $1) AS failures FROM users WHERE id = $1`, [member.id]);
    expect(after.rows[0]).toEqual({ locked_until: null, failures: 0 });
  });

  it("refuses an address with too many failures across accounts, with the same error", async () => {
    const member = await seedMember(owner, ws.workspaceId, "viewer");
    const ip = "192.0.2.77";
    await owner.query(`INSERT INTO sign_in_failures (ip) SELECT $1 FROM generate_series(1, $2)`, [ip, getConfig().LOCKOUT_IP_THRESHOLD]);
    await expect(signInWithPassword({ email: member.email, password: PASSWORD, context: context(ip) })).rejects.toThrow(INVALID_CREDENTIALS);
    await expect(signInWithPassword({ email: member.email, password: PASSWORD, context: context("192.0.2.78") })).resolves.toMatchObject({ userId: member.id });
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
