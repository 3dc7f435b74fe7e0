import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { inject } from "vitest";
import type pg from "pg";
import { context, ownerClient, PASSWORD, seedMember, seedWorkspace } from "../support/owner-db";
import { cookieJar, signInAs } from "../support/request-stub";
import { withWorkspace } from "../../lib/db/with-workspace";
import { generateSessionToken, hashToken } from "../../lib/auth/session-token";
import { verifyPassword } from "../../lib/auth/password";
import * as password from "../../lib/auth/password";
import { checkSession } from "../../lib/auth/sessions/check-session";
import { changePassword } from "../../lib/auth/change-password";
import { issueResetLink as issueDomain } from "../../lib/recovery/issue-reset-link";
import { resetPasswordWithLink } from "../../lib/recovery/reset-password-with-link";
import { describeResetLink } from "../../lib/recovery/describe-reset-link";
import { listSecurityNotices } from "../../lib/notices/list-security-notices";
import { issueResetLink } from "../../lib/actions/members/issue-reset-link";
import { resetPassword } from "../../lib/actions/account/reset-password";
import { dismissSecurityNotice } from "../../lib/actions/account/dismiss-security-notice";
import type { Role } from "../../lib/generated/prisma/enums";
import { limiter } from "../../lib/rate-limit/limits";
import { form } from "../support/form";

vi.mock("next/headers", async () => (await import("../support/request-stub")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
// Counts Argon2 work, to prove that refusals come before it.
vi.mock("../../lib/auth/password", async (original) => {
  const real = await original<typeof import("../../lib/auth/password")>();
  return { ...real, hashPassword: vi.fn(real.hashPassword) };
});

const NEW_PASSWORD = "tangerine ladder orbit fifty";
let owner: pg.Client;
beforeAll(async () => {
  owner = await ownerClient();
});
afterAll(() => owner.end());

const actorOf = (id: string) => ({ type: "user" as const, id, label: "issuer" });
const octet = () => Math.floor(Math.random() * 254) + 1;
const freshIp = () => `198.18.${octet()}.${octet()}`;

async function issue(workspaceId: string, issuerId: string, userId: string, clearMfa = false) {
  return withWorkspace(workspaceId, (tx) => issueDomain(tx, { workspaceId, userId, clearMfa, actor: actorOf(issuerId), context: context() }));
}
const linkOf = (issued: { resetId: string; token: string }) => `${issued.resetId}.${issued.token}`;
const redeem = (link: string, ip = freshIp(), newPassword = NEW_PASSWORD) => resetPasswordWithLink({ link, password: newPassword, context: context(ip) });

async function liveSession(userId: string) {
  const token = generateSessionToken();
  await owner.query(`INSERT INTO sessions (user_id, token_hash, idle_expires_at, absolute_expires_at) VALUES ($1, $2, now() + interval '1 hour', now() + interval '1 day')`, [
    userId,
    hashToken(token),
  ]);
  return token;
}

/** Events about a person: their account log where it exists, else the workspace copies it replaces. */
async function personalEvents(userId: string, action: string) {
  const { rows } = await owner.query(`SELECT to_regclass('public.account_events') IS NOT NULL AS ok`);
  const sql = rows[0].ok
    ? `SELECT actor_type, metadata::text AS metadata FROM account_events WHERE user_id = $1::uuid AND action = $2`
    : `SELECT actor_type, metadata::text AS metadata FROM audit_events WHERE target_id = $1 AND action = $2`;
  return owner.query<{ actor_type: string; metadata: string }>(sql, [userId, action]);
}

describe("issuing a reset link", () => {
  it("an owner issues a one-time, 1-hour link through the step-up action; only its hash is stored and the audit event holds no token", async () => {
    const ws = await seedWorkspace(owner, "recover");
    const member = await seedMember(owner, ws.workspaceId, "developer");
    await signInAs(owner, ws.ownerId);
    const result = await issueResetLink({ status: "idle" }, form({ workspace: ws.slug, userId: member.id }));
    expect(result).toMatchObject({ status: "ok", data: { email: member.email, mfa: "none" } });
    const link = (result as { data: { link: string } }).data.link;
    const [resetId, token] = link.split("/reset/")[1].split(".");
    const { rows } = await owner.query(`SELECT token_hash, expires_at, created_at, issued_in_workspace_id AS workspace_id FROM password_resets WHERE id = $1`, [resetId]);
    expect(rows[0].token_hash).toBe(hashToken(token));
    expect(rows[0].workspace_id).toBe(ws.workspaceId);
    expect(rows[0].expires_at.getTime() - rows[0].created_at.getTime()).toBe(3600_000);
    const audit = await owner.query(`SELECT actor_id, target_id, metadata::text AS metadata FROM audit_events WHERE workspace_id = $1 AND action = 'member.reset_link_issued'`, [ws.workspaceId]);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]).toMatchObject({ actor_id: ws.ownerId, target_id: member.id });
    expect(audit.rows[0].metadata).not.toContain(token);
  });

  it.each<[Role, Role, boolean]>([
    ["admin", "owner", false],
    ["admin", "admin", true],
    ["admin", "viewer", true],
    ["owner", "owner", true],
    ["developer", "viewer", false],
  ])("as %s, for a %s: allowed is %s (admins cannot act on owners; nobody above their role)", async (issuerRole, targetRole, allowed) => {
    const ws = await seedWorkspace(owner, "rules");
    const issuer = issuerRole === "owner" ? { id: ws.ownerId } : await seedMember(owner, ws.workspaceId, issuerRole);
    const target = await seedMember(owner, ws.workspaceId, targetRole);
    const attempt = issue(ws.workspaceId, issuer.id, target.id);
    if (allowed) await expect(attempt).resolves.toMatchObject({ email: target.email });
    else await expect(attempt).rejects.toMatchObject({ code: "forbidden" });
  });

  it("an admin of one workspace cannot take over a member who is an owner (or unknown to them) in another workspace", async () => {
    const a = await seedWorkspace(owner, "ws-a");
    const b = await seedWorkspace(owner, "ws-b");
    const admin = await seedMember(owner, a.workspaceId, "admin");
    const both = await seedMember(owner, a.workspaceId, "viewer");
    await owner.query(`INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, 'owner')`, [b.workspaceId, both.id]);
    await expect(issue(a.workspaceId, admin.id, both.id)).rejects.toThrow(/workspace you do not manage/);
    await owner.query(`INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, 'admin')`, [b.workspaceId, admin.id]);
    await expect(issue(a.workspaceId, admin.id, both.id)).rejects.toThrow(/cannot reset the account of an owner/);
    const { rows } = await owner.query(`SELECT count(*)::int AS n FROM password_resets WHERE user_id = $1`, [both.id]);
    expect(rows[0].n).toBe(0);
  });

  it("issuing a new link revokes the previous open one for that person", async () => {
    const ws = await seedWorkspace(owner, "again");
    const member = await seedMember(owner, ws.workspaceId, "editor");
    const first = await issue(ws.workspaceId, ws.ownerId, member.id);
    const second = await issue(ws.workspaceId, ws.ownerId, member.id);
    expect(await describeResetLink(linkOf(first))).toEqual({ status: "revoked" });
    await expect(redeem(linkOf(first))).rejects.toThrow(/replaced by a newer one/);
    await expect(redeem(linkOf(second))).resolves.toMatchObject({ email: member.email });
  });
});

describe("using a reset link", () => {
  it("sets the new password, ends every session, clears the lock, is audited in the workspace and the account log, and leaves a notice", async () => {
    const ws = await seedWorkspace(owner, "use");
    const member = await seedMember(owner, ws.workspaceId, "viewer");
    const tokens = [await liveSession(member.id), await liveSession(member.id)];
    await owner.query(`UPDATE users SET locked_until = now() + interval '1 hour' WHERE id = $1`, [member.id]);
    const issued = await issue(ws.workspaceId, ws.ownerId, member.id);
    await expect(redeem(linkOf(issued))).resolves.toMatchObject({ email: member.email, mfaCleared: false, sessionsEnded: 2 });
    const { rows } = await owner.query(`SELECT password_hash, locked_until FROM users WHERE id = $1`, [member.id]);
    expect(await verifyPassword(rows[0].password_hash, NEW_PASSWORD)).toBe(true);
    expect(rows[0].locked_until).toBeNull();
    for (const token of tokens) expect(await checkSession(token, { rotate: false, context: context() })).toBeNull();
    const audit = await owner.query(`SELECT action, metadata::text AS metadata FROM audit_events WHERE workspace_id = $1 AND action IN ('member.reset_link_used', 'auth.password_reset')`, [
      ws.workspaceId,
    ]);
    expect(audit.rows.map((r) => r.action)).toContain("member.reset_link_used");
    for (const row of audit.rows) expect(row.metadata).not.toContain(issued.token);
    expect((await listSecurityNotices(member.id)).map((n) => n.message)).toContainEqual(expect.stringMatching(/reset with a recovery link/));
    const personal = await personalEvents(member.id, "auth.password_reset");
    expect(personal.rows.length).toBeGreaterThan(0);
    expect(personal.rows[0].metadata).not.toContain(issued.token);
  });

  it("two redemptions of one link at once: exactly one succeeds", async () => {
    const ws = await seedWorkspace(owner, "race");
    const member = await seedMember(owner, ws.workspaceId, "developer");
    const issued = await issue(ws.workspaceId, ws.ownerId, member.id);
    const results = await Promise.allSettled([redeem(linkOf(issued)), redeem(linkOf(issued), freshIp(), "violet harbour minnow seventy")]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: "conflict", message: expect.stringMatching(/already used/) });
    const { rows } = await owner.query(`SELECT count(*)::int AS n FROM audit_events WHERE workspace_id = $1 AND action = 'member.reset_link_used'`, [ws.workspaceId]);
    expect(rows[0].n).toBe(1);
  });

  it("expired, used and garbage links are refused with a clear message, before any Argon2 work, never as a 500", async () => {
    const ws = await seedWorkspace(owner, "states");
    const member = await seedMember(owner, ws.workspaceId, "viewer");
    const expired = await issue(ws.workspaceId, ws.ownerId, member.id);
    await owner.query(`UPDATE password_resets SET expires_at = now() - interval '1 second' WHERE id = $1`, [expired.resetId]);
    const hashes = vi.mocked(password.hashPassword);
    hashes.mockClear();
    await expect(redeem(linkOf(expired))).rejects.toMatchObject({ code: "not_found", message: expect.stringMatching(/expired/) });
    expect(await describeResetLink(linkOf(expired))).toEqual({ status: "expired" });
    for (const garbage of ["", "not-a-link", `${randomUUID()}.${"A".repeat(43)}`, `../../etc.${"A".repeat(43)}`, `${expired.resetId}.${"B".repeat(43)}`, "%00", "\u0000"]) {
      await expect(redeem(garbage)).rejects.toMatchObject({ code: "not_found", message: expect.stringMatching(/not valid/) });
      expect(await describeResetLink(garbage)).toEqual({ status: "invalid" });
    }
    const fresh = await issue(ws.workspaceId, ws.ownerId, member.id);
    await expect(redeem(linkOf(fresh), freshIp(), "password123456")).rejects.toMatchObject({ code: "invalid_input", fieldErrors: { password: [expect.stringMatching(/common password/)] } });
    expect(hashes).not.toHaveBeenCalled();
    await redeem(linkOf(fresh));
    await expect(redeem(linkOf(fresh))).rejects.toMatchObject({ code: "conflict", message: expect.stringMatching(/already used/) });
    // Through the public action (from the stub's address, whose count other runs may have spent): a readable refusal.
    await limiter("passwordResetPerIp").delete("203.0.113.99");
    const viaAction = await resetPassword({ status: "idle" }, form({ link: "garbage", password: NEW_PASSWORD }));
    expect(viaAction).toMatchObject({ status: "error", code: "not_found", error: expect.stringMatching(/not valid/) });
  });

  it("is rate-limited per address", async () => {
    const ip = freshIp();
    const results = [];
    for (let i = 0; i < 11; i++) results.push(await redeem("garbage", ip).catch((e) => e.code));
    expect(results.slice(0, 10).every((code) => code === "not_found")).toBe(true);
    expect(results[10]).toBe("rate_limited");
  });

  it("clears MFA only when the issuer asked; where the policy requires MFA the issuer is told they must enroll again", async () => {
    const ws = await seedWorkspace(owner, "mfa-clear");
    await owner.query(`UPDATE workspaces SET mfa_policy = 'all' WHERE id = $1`, [ws.workspaceId]);
    const kept = await seedMember(owner, ws.workspaceId, "developer");
    const cleared = await seedMember(owner, ws.workspaceId, "developer");
    for (const m of [kept, cleared]) {
      await owner.query(`UPDATE users SET mfa_enabled_at = now(), mfa_secret_enc = 'sealed' WHERE id = $1`, [m.id]);
      await owner.query(`INSERT INTO mfa_recovery_codes (user_id, code_hash) VALUES ($1, 'h')`, [m.id]);
    }
    const keptLink = await issue(ws.workspaceId, ws.ownerId, kept.id, false);
    const clearedLink = await issue(ws.workspaceId, ws.ownerId, cleared.id, true);
    expect(keptLink.mfa).toBe("kept");
    expect(clearedLink.mfa).toBe("cleared_must_enroll");
    await redeem(linkOf(keptLink));
    await expect(redeem(linkOf(clearedLink))).resolves.toMatchObject({ mfaCleared: true });
    const { rows } = await owner.query(
      `SELECT u.id, u.mfa_enabled_at IS NOT NULL AS mfa, (SELECT count(*)::int FROM mfa_recovery_codes c WHERE c.user_id = u.id) AS codes FROM users u WHERE u.id IN ($1, $2)`,
      [kept.id, cleared.id],
    );
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(byId[kept.id]).toMatchObject({ mfa: true, codes: 1 });
    expect(byId[cleared.id]).toMatchObject({ mfa: false, codes: 0 });
    expect((await listSecurityNotices(cleared.id)).map((n) => n.message)).toContainEqual(expect.stringMatching(/cleared during account recovery/));
  });

  it("stops working when its issuer no longer holds the rights over the person", async () => {
    const ws = await seedWorkspace(owner, "demoted");
    const admin = await seedMember(owner, ws.workspaceId, "admin");
    const member = await seedMember(owner, ws.workspaceId, "viewer");
    const issued = await issue(ws.workspaceId, admin.id, member.id);
    await owner.query(`UPDATE memberships SET role = 'viewer' WHERE user_id = $1`, [admin.id]);
    await expect(redeem(linkOf(issued))).rejects.toThrow(/no longer has the rights/);
    const { rows } = await owner.query(`SELECT password_hash FROM users WHERE id = $1`, [member.id]);
    expect(await verifyPassword(rows[0].password_hash, PASSWORD)).toBe(true);
  });

  it("stops working once the person has left the workspace that issued it, though they belong to no other", async () => {
    const ws = await seedWorkspace(owner, "left");
    const admin = await seedMember(owner, ws.workspaceId, "admin");
    const member = await seedMember(owner, ws.workspaceId, "viewer");
    const issued = await issue(ws.workspaceId, admin.id, member.id);
    await owner.query(`DELETE FROM memberships WHERE user_id = $1`, [member.id]);
    await expect(redeem(linkOf(issued))).rejects.toThrow(/no longer has the rights/);
    const { rows } = await owner.query(`SELECT password_hash FROM users WHERE id = $1`, [member.id]);
    expect(await verifyPassword(rows[0].password_hash, PASSWORD)).toBe(true);
  });
});

describe("security notices", () => {
  it("a notice appears after a password change and disappears when dismissed", async () => {
    const ws = await seedWorkspace(owner, "notice");
    const member = await seedMember(owner, ws.workspaceId, "editor");
    const token = await liveSession(member.id);
    const session = (await checkSession(token, { rotate: false, context: context() }))!.session;
    await changePassword({ session, currentPassword: PASSWORD, newPassword: NEW_PASSWORD, context: context() });
    const notices = await listSecurityNotices(member.id);
    expect(notices).toHaveLength(1);
    expect(notices[0].message).toBe("Your password was changed.");

    // Another person cannot dismiss it.
    const stranger = await seedMember(owner, ws.workspaceId, "viewer");
    await signInAs(owner, stranger.id);
    expect(await dismissSecurityNotice({ status: "idle" }, form({ noticeId: notices[0].id }))).toMatchObject({ status: "error", code: "not_found" });
    expect(await listSecurityNotices(member.id)).toHaveLength(1);

    await signInAs(owner, member.id);
    expect(await dismissSecurityNotice({ status: "idle" }, form({ noticeId: notices[0].id }))).toMatchObject({ status: "ok" });
    expect(await listSecurityNotices(member.id)).toEqual([]);
    cookieJar.clear();
  });

  it("every member is told when an owner signs the workspace out of every device", async () => {
    const ws = await seedWorkspace(owner, "revoke-all");
    const member = await seedMember(owner, ws.workspaceId, "developer");
    await signInAs(owner, ws.ownerId);
    const { revokeAllSessions } = await import("../../lib/actions/security/revoke-all-sessions");
    expect(await revokeAllSessions({ status: "idle" }, form({ workspace: ws.slug }))).toMatchObject({ status: "ok" });
    expect((await listSecurityNotices(member.id)).map((n) => n.message)).toContainEqual(expect.stringMatching(/signed every member out/));
  });
});

describe("npm run account:recover", () => {
  it("prints a one-time link for the account from the real command, recorded in the person's log, and refuses an unknown email", async () => {
    const ws = await seedWorkspace(owner, "operator");
    const member = await seedMember(owner, ws.workspaceId, "admin");
    await owner.query(`UPDATE users SET mfa_enabled_at = now(), mfa_secret_enc = 'sealed' WHERE id = $1`, [member.id]);
    const env = { ...process.env, DATABASE_URL: inject("ownerUrl"), APP_DATABASE_URL: "", WARDEN_URL: "https://warden.example.test", LOG_LEVEL: "silent" };
    const run = (args: string[]) => promisify(execFile)("node", ["--import", "tsx", "scripts/account-recover.ts", ...args], { env, timeout: 60_000 });
    const { stdout } = await run(["--email", member.email.toUpperCase(), "--clear-mfa"]);
    const link = /https:\/\/warden\.example\.test\/reset\/(\S+)/.exec(stdout)?.[1];
    expect(link, stdout).toBeDefined();
    expect(stdout).toMatch(/will be cleared when the link is used/);
    const audit = await personalEvents(member.id, "auth.recovery_link_created");
    expect(audit.rows.length).toBeGreaterThan(0);
    expect(audit.rows[0].actor_type).toBe("system");
    expect(audit.rows[0].metadata).not.toContain(link!.split(".")[1]);
    await expect(redeem(link!)).resolves.toMatchObject({ email: member.email, mfaCleared: true });

    await expect(run(["--email", `nobody-${randomUUID().slice(0, 6)}@example.test`])).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/No account has the email/) });
    await expect(run([])).rejects.toMatchObject({ code: 2 });
  });
});
