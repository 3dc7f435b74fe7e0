import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { signInAs, cookieJar } from "../support/request-stub";
import { PASSWORD, appClient, appendAuditEvents, context, ownerClient, seedMember, seedWorkspace } from "../support/owner-db";
import { verifyAuditChain } from "../../lib/audit/verify-audit-chain";
import { eraseAccount } from "../../lib/account/erase-account";
import { accountPseudonym } from "../../lib/account/account-pseudonym";
import { recordUserAuditEvent } from "../../lib/audit/record-user-audit-event";
import { withSystem } from "../../lib/db/system";
import { idle } from "../../lib/actions/action-state";
import { form } from "../support/form";

// A person deletes their own account: refused while they are the last owner of a
// workspace (decided in the database, so two owners leaving at once cannot both
// go), otherwise their account, memberships, sessions and personal log go, and the
// events they caused keep a pseudonym in every workspace log, which still verifies.

vi.mock("next/headers", async () => (await import("../support/request-stub")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const { deleteAccount } = await import("../../lib/actions/account/delete-account");

let owner: pg.Client;
let app: pg.Client;
beforeAll(async () => {
  owner = await ownerClient();
  app = await appClient();
});
afterAll(async () => {
  await owner.end();
  await app.end();
});

const actor = (u: { id: string; email: string }) => ({ type: "user" as const, id: u.id, label: u.email });
const sessionOf = (u: { id: string; email: string }) => ({ sessionId: randomUUID(), user: { id: u.id, email: u.email, name: "x", mfaEnabled: false }, mfaVerifiedAt: null });

/** Two workspaces: `leaver` co-owns the first with `stayer`, is an admin in the second (owned by `other`), and acted in both. */
async function fixture() {
  const first = await seedWorkspace(owner, "erase-a");
  const second = await seedWorkspace(owner, "erase-b");
  const leaver = await seedMember(owner, first.workspaceId, "owner");
  const stayer = await seedMember(owner, first.workspaceId, "owner");
  await owner.query(`INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, 'admin')`, [second.workspaceId, leaver.id]);
  const other = { id: second.ownerId, email: second.ownerEmail };
  await appendAuditEvents(owner, first.workspaceId, [
    { actor: actor(stayer), action: "member.invited", context: context(), metadata: { email: leaver.email, role: "owner" } },
    { actor: actor(leaver), action: "member.role_changed", context: context(), target: { type: "user", id: stayer.id } },
    { actor: actor(stayer), action: "member.invited", context: context() },
    { actor: actor(leaver), action: "api_key.created", context: context(), metadata: { name: "ci" } },
  ]);
  await appendAuditEvents(owner, second.workspaceId, [
    { actor: actor(leaver), action: "member.invited", context: context() },
    { actor: actor(other), action: "member.invited", context: context() },
  ]);
  await withSystem((tx) => recordUserAuditEvent(tx, leaver.id, { actor: actor(leaver), action: "auth.sign_in_succeeded", context: context() }));
  await owner.query(`INSERT INTO mfa_recovery_codes (user_id, code_hash) VALUES ($1, 'h')`, [leaver.id]);
  return { first, second, leaver, stayer, other };
}

async function eventsOf(workspaceId: string) {
  const { rows } = await owner.query(`SELECT seq::int AS seq, actor_id::text AS actor_id, actor_label, action, metadata FROM audit_events WHERE workspace_id = $1 ORDER BY seq`, [workspaceId]);
  return rows as { seq: number; actor_id: string | null; actor_label: string | null; action: string; metadata: Record<string, unknown> }[];
}

describe("deleting one's own account", () => {
  it("removes the account and what is personal, relabels the person's events with a pseudonym, and every chain still verifies", async () => {
    const f = await fixture();
    const firstBefore = await eventsOf(f.first.workspaceId);
    await signInAs(owner, f.leaver.id);
    const result = await deleteAccount(idle, form({ email: f.leaver.email.toUpperCase(), password: PASSWORD }));
    const pseudonym = accountPseudonym(f.leaver.id);
    expect(result).toEqual({ status: "ok", data: { pseudonym } });
    expect(pseudonym).toMatch(/^deleted-user-[0-9a-f]{12}$/);
    expect(cookieJar.has("warden.session")).toBe(false);

    for (const ws of [f.first, f.second]) {
      const events = await eventsOf(ws.workspaceId);
      expect(JSON.stringify(events)).not.toContain(f.leaver.email);
      expect(events.some((e) => e.actor_id === f.leaver.id)).toBe(false);
      const closing = events.at(-1)!;
      expect(closing).toMatchObject({ action: "account.erased", actor_id: null, actor_label: "account erasure" });
      expect(JSON.stringify(closing)).not.toContain(f.leaver.id);
      const verification = await verifyAuditChain({ workspaceId: ws.workspaceId });
      expect(verification).toMatchObject({ status: "verified", count: events.length });
    }
    const first = await eventsOf(f.first.workspaceId);
    // Same events, same order; the person's now carry the pseudonym, everyone else's are unchanged.
    expect(first.slice(0, -1).map((e) => e.action)).toEqual(firstBefore.map((e) => e.action));
    firstBefore.forEach((before, i) => {
      if (before.actor_id === f.leaver.id) expect(first[i]).toMatchObject({ actor_id: null, actor_label: pseudonym, metadata: before.metadata });
      else expect(first[i]).toMatchObject({ actor_id: before.actor_id, actor_label: before.actor_label });
    });
    // The invitation that named the person by email names the pseudonym now.
    expect(first[1]).toMatchObject({ action: "member.invited", actor_id: f.stayer.id, metadata: { email: pseudonym, role: "owner" } });
    expect(first.at(-1)!.metadata).toEqual({ events_relabelled: 2, mentions_replaced: 1, from_seq: 2 });

    const gone = async (sql: string) => (await owner.query(sql, [f.leaver.id])).rowCount;
    expect(await gone(`SELECT 1 FROM users WHERE id = $1`)).toBe(0);
    expect(await gone(`SELECT 1 FROM memberships WHERE user_id = $1`)).toBe(0);
    expect(await gone(`SELECT 1 FROM sessions WHERE user_id = $1`)).toBe(0);
    expect(await gone(`SELECT 1 FROM mfa_recovery_codes WHERE user_id = $1`)).toBe(0);
    expect(await gone(`SELECT 1 FROM account_events WHERE user_id = $1`)).toBe(0);
    // The other owner and the workspaces stay.
    expect((await owner.query(`SELECT role FROM memberships WHERE user_id = $1`, [f.stayer.id])).rows).toEqual([{ role: "owner" }]);
    expect((await owner.query(`SELECT 1 FROM workspaces WHERE id = ANY($1)`, [[f.first.workspaceId, f.second.workspaceId]])).rowCount).toBe(2);
  });

  it("is refused to the last owner of a workspace, and changes nothing", async () => {
    const f = await fixture();
    const before = await eventsOf(f.second.workspaceId);
    await signInAs(owner, f.other.id);
    await owner.query(`UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE id = $2) WHERE id = $1`, [f.other.id, f.leaver.id]);
    const result = await deleteAccount(idle, form({ email: f.other.email, password: PASSWORD }));
    expect(result).toMatchObject({ status: "error", code: "conflict", error: expect.stringContaining(`last owner of ${f.second.slug}`) });
    expect(await eventsOf(f.second.workspaceId)).toEqual(before);
    expect((await owner.query(`SELECT 1 FROM users WHERE id = $1`, [f.other.id])).rowCount).toBe(1);
  });

  it("is refused with the wrong email or password", async () => {
    const f = await fixture();
    await signInAs(owner, f.leaver.id);
    expect(await deleteAccount(idle, form({ email: f.stayer.email, password: PASSWORD }))).toMatchObject({ status: "error", fieldErrors: { email: [expect.any(String)] } });
    expect(await deleteAccount(idle, form({ email: f.leaver.email, password: "not the password at all" }))).toMatchObject({ status: "error", fieldErrors: { password: [expect.any(String)] } });
    expect((await owner.query(`SELECT 1 FROM users WHERE id = $1`, [f.leaver.id])).rowCount).toBe(1);
  });

  it("two owners of one workspace erasing themselves at once: at most one succeeds, and the workspace keeps an owner", async () => {
    for (let round = 0; round < 3; round += 1) {
      const ws = await seedWorkspace(owner, "pair");
      const a = await seedMember(owner, ws.workspaceId, "owner");
      const b = await seedMember(owner, ws.workspaceId, "owner");
      await owner.query(`DELETE FROM memberships WHERE user_id = $1`, [ws.ownerId]);
      const results = await Promise.allSettled([a, b].map((u) => eraseAccount({ session: sessionOf(u), email: u.email, password: PASSWORD, context: context() })));
      expect(results.filter((r) => r.status === "fulfilled").length).toBe(1);
      for (const r of results) if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "conflict" });
      expect((await owner.query(`SELECT 1 FROM memberships WHERE workspace_id = $1 AND role = 'owner'`, [ws.workspaceId])).rowCount).toBe(1);
      expect(await verifyAuditChain({ workspaceId: ws.workspaceId })).toMatchObject({ status: "verified" });
    }
  });

  it("the app role cannot start an erasure for someone else, nor rewrite audit rows itself", async () => {
    const f = await fixture();
    await app.query("BEGIN");
    try {
      await app.query("SELECT set_config('app.user_id', $1, true)", [f.stayer.id]);
      await expect(app.query(`SELECT * FROM public.account_erasure_begin($1::uuid)`, [f.leaver.id])).rejects.toThrow(/its own context/);
    } finally {
      await app.query("ROLLBACK");
    }
    await app.query("BEGIN");
    try {
      await app.query("SELECT set_config('app.user_id', $1, true), set_config('warden.account_erasure', $1, true)", [f.leaver.id]);
      await expect(app.query(`SELECT public.account_erasure_finish($1::uuid, 'deleted-user-000000000000')`, [f.leaver.id])).rejects.toThrow(/still name/);
    } finally {
      await app.query("ROLLBACK");
    }
    await app.query("BEGIN");
    try {
      await app.query("SELECT set_config('app.workspace_id', $1, true), set_config('warden.audit_rewrite', $1, true)", [f.first.workspaceId]);
      await expect(app.query(`UPDATE audit_events SET actor_label = 'x' WHERE workspace_id = $1`, [f.first.workspaceId])).rejects.toThrow(/permission denied/);
    } finally {
      await app.query("ROLLBACK");
    }
    // Outside the functions the owner's own statement is still refused by the trigger (no flag).
    await expect(owner.query(`UPDATE audit_events SET actor_label = 'x' WHERE workspace_id = $1`, [f.first.workspaceId])).rejects.toThrow(/append-only/);
    await expect(owner.query(`DELETE FROM account_events WHERE user_id = $1`, [f.leaver.id])).rejects.toThrow(/append-only/);
  });
});
