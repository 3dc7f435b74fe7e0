import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { spawnSync } from "node:child_process";
import type pg from "pg";
import { appClient, context, ownerClient, PASSWORD, seedMember, seedWorkspace, type SeededWorkspace } from "../support/owner-db";
import { signInWithPassword } from "../../lib/auth/sign-in-with-password";
import { withSystem } from "../../lib/db/system";
import { recordUserAuditEvent } from "../../lib/audit/record-user-audit-event";
import { listMyAccountEvents } from "../../lib/audit/list-my-account-events";

// Personal security events belong to the account, not to every workspace the
// person is in: workspace B's admins must not see where and when they sign in to A.

let owner: pg.Client;
let a: SeededWorkspace;
let b: SeededWorkspace;

beforeAll(async () => {
  owner = await ownerClient();
  a = await seedWorkspace(owner, "acct-a");
  b = await seedWorkspace(owner, "acct-b");
});
afterAll(() => owner.end());

/** A member of both workspaces. */
async function memberOfBoth() {
  const member = await seedMember(owner, a.workspaceId, "developer");
  await owner.query(`INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, 'viewer')`, [b.workspaceId, member.id]);
  return member;
}

describe("the account-level security log (finding 16)", () => {
  it("a sign-in by a member of two workspaces goes into neither workspace's log, and into the account's log once", async () => {
    const member = await memberOfBoth();
    const ctx = { ...context("198.51.100.23"), userAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) Version/17.5 Safari/605.1.15" };
    const result = await signInWithPassword({ email: member.email, password: PASSWORD, context: ctx });
    expect(result.kind).toBe("session");
    const inWorkspaces = await owner.query(`SELECT workspace_id FROM audit_events WHERE workspace_id = ANY($1::uuid[]) AND (actor_id = $2 OR target_id = $2::text OR action LIKE 'auth.%')`, [
      [a.workspaceId, b.workspaceId],
      member.id,
    ]);
    expect(inWorkspaces.rows).toEqual([]);
    const account = await owner.query(`SELECT action, ip, request_id FROM account_events WHERE user_id = $1`, [member.id]);
    expect(account.rows).toEqual([{ action: "auth.sign_in_succeeded", ip: "198.51.100.23", request_id: ctx.requestId }]);

    // The person sees it on Account → Security, labelled, with the device.
    const mine = await listMyAccountEvents(member.id);
    expect(mine).toMatchObject([{ action: "auth.sign_in_succeeded", label: "Signed in", ip: "198.51.100.23", browser: "Safari 17", system: "macOS" }]);
  });

  it("a wrong password is recorded for the account, not in its workspaces", async () => {
    const member = await memberOfBoth();
    await expect(signInWithPassword({ email: member.email, password: "not the password", context: context() })).rejects.toThrow();
    const account = await owner.query(`SELECT action FROM account_events WHERE user_id = $1`, [member.id]);
    expect(account.rows.map((r) => r.action)).toContain("auth.sign_in_failed");
    const inWorkspaces = await owner.query(`SELECT count(*)::int AS n FROM audit_events WHERE target_id = $1::text OR actor_id = $1::uuid`, [member.id]);
    expect(inWorkspaces.rows[0].n).toBe(0);
  });

  it("an attempt at an address with no account is recorded with no user, where operators see it", async () => {
    const ctx = context("203.0.113.99");
    await withSystem((tx) =>
      recordUserAuditEvent(tx, null, { actor: { type: "system", label: "nobody-here@example.test" }, action: "auth.sign_in_failed", metadata: { reason: "unknown_account" }, context: ctx }),
    );
    const { rows } = await owner.query(`SELECT user_id, actor_label, ip FROM account_events WHERE request_id = $1`, [ctx.requestId]);
    expect(rows).toEqual([{ user_id: null, actor_label: "nobody-here@example.test", ip: "203.0.113.99" }]);
  });

  it("a person reads only their own events newest first; the app role can neither insert nor change them", async () => {
    const one = await memberOfBoth();
    const other = await memberOfBoth();
    for (const action of ["auth.password_changed", "mfa.enrolled"] as const) {
      await withSystem((tx) => recordUserAuditEvent(tx, one.id, { actor: { type: "user", id: one.id, label: one.email }, action, context: context() }));
    }
    const labels = (await listMyAccountEvents(one.id)).map((e) => e.label);
    expect(labels).toHaveLength(2);
    expect(new Set(labels)).toEqual(new Set(["Two-factor authentication turned on", "Password changed"]));
    expect(await listMyAccountEvents(other.id)).toEqual([]);

    const app = await appClient();
    try {
      await app.query("BEGIN");
      await app.query("SELECT set_config('app.user_id', $1, true)", [other.id]);
      expect((await app.query(`SELECT count(*)::int AS n FROM account_events WHERE user_id = $1`, [one.id])).rows[0].n).toBe(0);
      await app.query("COMMIT");
      await expect(app.query(`INSERT INTO account_events (user_id, actor_type, action) VALUES ($1, 'system', 'auth.signed_out')`, [one.id])).rejects.toThrow(/permission denied/);
      await expect(app.query(`UPDATE account_events SET action = 'auth.signed_out'`)).rejects.toThrow(/permission denied/);
    } finally {
      await app.end();
    }
    await expect(owner.query(`DELETE FROM account_events WHERE user_id = $1`, [one.id])).rejects.toThrow(/append-only/);
  });

  it("npm run account:events -- --email shows an account's events to an operator, read-only", async () => {
    const member = await memberOfBoth();
    await signInWithPassword({ email: member.email, password: PASSWORD, context: context("192.0.2.44") });
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: inject("ownerUrl"), LOG_LEVEL: "silent" };
    delete env.AUTH_SECRET;
    const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/account-events.ts", "--email", member.email, "--limit", "5"], { env, encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`auth\\.sign_in_succeeded\\s+${member.email.replace(/\./g, "\\.")}\\s+192\\.0\\.2\\.44`));
    expect(spawnSync(process.execPath, ["--import", "tsx", "scripts/account-events.ts", "--limit", "0"], { env, encoding: "utf8" }).status).toBe(2);
  });
});
