import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { randomUUID } from "node:crypto";
import { spawnSync } from "node:child_process";
import type pg from "pg";
import { appClient, appendAuditEvents, ownerClient } from "../support/owner-db";
import { withWorkspace } from "../../lib/db/with-workspace";
import { recordAuditEvent } from "../../lib/audit/record-audit-event";
import { verifyAuditChain } from "../../lib/audit/verify-audit-chain";
import { applyAuditRetention } from "../../lib/audit/apply-audit-retention";

let owner: pg.Client;
beforeAll(async () => {
  owner = await ownerClient();
});
afterAll(() => owner.end());

const DAY = 24 * 60 * 60_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY);
const NO_CONTEXT = { ip: null, userAgent: null, requestId: null };

/** A workspace whose log starts with `ages` (days ago, oldest first), written as the owner, backdated. */
async function workspaceWithHistory(ages: number[], retentionDays: number | null = 30) {
  const slug = `retention-${randomUUID().slice(0, 8)}`;
  const { rows } = await owner.query<{ id: string }>(`INSERT INTO workspaces (name, slug) VALUES ($1, $1) RETURNING id::text`, [slug]);
  const workspaceId = rows[0].id;
  await appendAuditEvents(
    owner,
    workspaceId,
    ages.map((age, i) => ({
      actor: { type: "system", label: "fixture" },
      action: "member.role_changed",
      context: NO_CONTEXT,
      metadata: { i },
      occurredAt: age === 0 ? undefined : daysAgo(age),
    })),
  );
  await setRetention(workspaceId, retentionDays);
  return { workspaceId, slug };
}

async function setRetention(workspaceId: string, days: number | null) {
  await owner.query("BEGIN");
  await owner.query("SELECT set_config('app.workspace_id', $1, true)", [workspaceId]);
  await owner.query("UPDATE workspaces SET audit_retention_days = $2 WHERE id = $1", [workspaceId, days]);
  await owner.query("COMMIT");
}

const seqs = async (workspaceId: string) =>
  (await owner.query<{ seq: string }>(`SELECT seq::text FROM audit_events WHERE workspace_id = $1 ORDER BY seq`, [workspaceId])).rows.map((r) => Number(r.seq));
const checkpoint = async (workspaceId: string) =>
  (await owner.query(`SELECT last_removed_seq::int AS seq, last_removed_hash AS hash, removed_total::int AS removed FROM audit_checkpoints WHERE workspace_id = $1`, [workspaceId])).rows[0];
const hashOf = async (workspaceId: string, seq: number) =>
  (await owner.query<{ hash: string }>(`SELECT hash FROM audit_events WHERE workspace_id = $1 AND seq = $2`, [workspaceId, seq])).rows[0]?.hash;
const applyIn = (workspaceId: string) =>
  withWorkspace(workspaceId, (tx) => tx.$queryRaw<{ removed: bigint; last_seq: bigint | null }[]>`SELECT removed, last_seq FROM public.audit_apply_retention(${workspaceId}::uuid)`);

/** Changes a row bypassing the app and its triggers, as someone with the owner's credentials could. */
async function tamper(sql: string, params: unknown[]) {
  await owner.query("BEGIN");
  await owner.query("SET LOCAL session_replication_role = replica");
  await owner.query(sql, params);
  await owner.query("COMMIT");
}

/** The operator command as an operator runs it. */
const cli = (workspace: string) => {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: inject("ownerUrl"), LOG_LEVEL: "silent" };
  delete env.AUTH_SECRET;
  delete env.APP_DATABASE_URL;
  return spawnSync(process.execPath, ["--import", "tsx", "scripts/audit-verify.ts", "--workspace", workspace], { env, encoding: "utf8" });
};

describe("audit retention", () => {
  it("removes the events older than a 30-day window, keeps the newer ones, and writes the checkpoint", async () => {
    const { workspaceId } = await workspaceWithHistory([60, 50, 40, 35, 31, 20, 1, 0]);
    const fifth = await hashOf(workspaceId, 5);
    const result = await applyAuditRetention();
    expect(result.applied).toContainEqual({ workspaceId, removed: 5, lastSeq: "5", lastHash: fifth });
    expect(result.failed.filter((f) => f.workspaceId === workspaceId)).toEqual([]);
    // The pass records itself in the same transaction: the log says when it was shortened.
    expect(await seqs(workspaceId)).toEqual([6, 7, 8, 9]);
    const {
      rows: [recorded],
    } = await owner.query(`SELECT action, actor_label, metadata FROM audit_events WHERE workspace_id = $1 AND seq = 9`, [workspaceId]);
    expect(recorded).toEqual({ action: "audit.retention_applied", actor_label: "retention", metadata: { removed: 5, retentionDays: 30, lastSeq: "5", lastHash: fifth } });
    expect(await checkpoint(workspaceId)).toEqual({ seq: 5, hash: fifth, removed: 5 });
    expect(await verifyAuditChain({ workspaceId })).toMatchObject({ status: "verified", count: 4, checkpoint: { seq: "5", removed: "5" } });
    // A second pass finds nothing more.
    expect(await applyIn(workspaceId)).toEqual([{ removed: 0n, last_seq: 5n }]);
  });

  it("verification starts from the checkpoint and says so; the console result and the operator command report it", async () => {
    const { workspaceId } = await workspaceWithHistory([45, 44, 43, 2]);
    await applyIn(workspaceId);
    const result = await verifyAuditChain({ workspaceId });
    expect(result).toMatchObject({ status: "verified", count: 1, headSeq: "4", checkpoint: { seq: "3", removed: "3", hash: await checkpoint(workspaceId).then((c) => c.hash) } });
    // A later append still links to the head retention left, and verifies.
    await withWorkspace(workspaceId, (tx) => recordAuditEvent(tx, { workspaceId, actor: { type: "system", label: "test" }, action: "member.role_changed", context: NO_CONTEXT }));
    expect(await verifyAuditChain({ workspaceId })).toMatchObject({ status: "verified", count: 2, headSeq: "5", checkpoint: { seq: "3" } });
    const run = cli(workspaceId);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/2 events verified from seq 4 after 3 events removed by retention on \d{4}-\d\d-\d\d/);
  });

  it("never removes the head: a log whose every event is past the window keeps its newest", async () => {
    const { workspaceId } = await workspaceWithHistory([90, 80, 70]);
    expect(await applyIn(workspaceId)).toEqual([{ removed: 2n, last_seq: 2n }]);
    expect(await seqs(workspaceId)).toEqual([3]);
    expect(await verifyAuditChain({ workspaceId })).toMatchObject({ status: "verified", count: 1 });
  });

  it("removes only a prefix of the chain: an old event after a newer one waits for it", async () => {
    const { workspaceId } = await workspaceWithHistory([60, 10, 60, 0]);
    expect(await applyIn(workspaceId)).toEqual([{ removed: 1n, last_seq: 1n }]);
    expect(await seqs(workspaceId)).toEqual([2, 3, 4]);
  });

  it("tampering with an event left after retention still fails verification", async () => {
    const { workspaceId } = await workspaceWithHistory([40, 40, 5, 0]);
    await applyIn(workspaceId);
    await tamper(`UPDATE audit_events SET metadata = '{"i": 99}' WHERE workspace_id = $1 AND seq = 3`, [workspaceId]);
    expect(await verifyAuditChain({ workspaceId })).toMatchObject({ status: "broken", seq: "3", reason: "hash_mismatch" });
  });

  it("a forged checkpoint fails verification: a hash the first event does not link to, or a seq that leaves a gap", async () => {
    const { workspaceId } = await workspaceWithHistory([40, 40, 5, 0]);
    await applyIn(workspaceId);
    await tamper(`UPDATE audit_checkpoints SET last_removed_hash = $2 WHERE workspace_id = $1`, [workspaceId, "f".repeat(64)]);
    expect(await verifyAuditChain({ workspaceId })).toMatchObject({ status: "broken", seq: "3", reason: "link_mismatch" });
    await tamper(`UPDATE audit_checkpoints SET last_removed_hash = $2, last_removed_seq = 1 WHERE workspace_id = $1`, [workspaceId, await hashOf(workspaceId, 3)]);
    expect(await verifyAuditChain({ workspaceId })).toMatchObject({ status: "broken", seq: "3", reason: "gap" });
    // Events removed behind retention's back (the checkpoint not moved) fail as a gap too.
    await tamper(`DELETE FROM audit_checkpoints WHERE workspace_id = $1`, [workspaceId]);
    expect(await verifyAuditChain({ workspaceId })).toMatchObject({ status: "broken", seq: "3", reason: "gap" });
  });

  it("keeps everything when retention is forever (NULL)", async () => {
    const { workspaceId } = await workspaceWithHistory([400, 300, 200, 0], null);
    const result = await applyAuditRetention();
    expect(result.applied.map((a) => a.workspaceId)).not.toContain(workspaceId);
    expect(await applyIn(workspaceId)).toEqual([{ removed: 0n, last_seq: null }]);
    expect(await seqs(workspaceId)).toEqual([1, 2, 3, 4]);
    expect(await checkpoint(workspaceId)).toBeUndefined();
  });

  it("two retention runs at once on one workspace remove each event once and leave one consistent checkpoint", async () => {
    const { workspaceId } = await workspaceWithHistory([...Array.from({ length: 40 }, () => 60), 0]);
    const runs = await Promise.all(Array.from({ length: 4 }, () => applyIn(workspaceId)));
    // 40 events past the window, then the head: each of the 40 is removed by exactly one run.
    expect(runs.reduce((sum, [r]) => sum + Number(r.removed), 0)).toBe(40);
    expect(runs.filter(([r]) => r.removed > 0n)).toHaveLength(1);
    expect(runs.every(([r]) => r.last_seq === 40n)).toBe(true);
    expect(await checkpoint(workspaceId)).toMatchObject({ seq: 40, removed: 40 });
    expect(await seqs(workspaceId)).toEqual([41]);
    expect(await verifyAuditChain({ workspaceId })).toMatchObject({ status: "verified", count: 1, checkpoint: { seq: "40", removed: "40" } });
  });
});

describe("only the retention function deletes audit events", () => {
  /** Runs `work` as the application role in a transaction for the workspace, with the retention setting faked. */
  async function asApp(workspaceId: string, sql: string, params: unknown[] = []) {
    const app = await appClient();
    try {
      await app.query("BEGIN");
      await app.query("SELECT set_config('app.workspace_id', $1, true), set_config('warden.audit_retention', $1, true)", [workspaceId]);
      return await app.query(sql, params);
    } finally {
      await app.query("ROLLBACK").catch(() => {});
      await app.end();
    }
  }

  it("the app role cannot DELETE audit events, even naming the retention setting, nor write a checkpoint", async () => {
    const { workspaceId } = await workspaceWithHistory([60, 50, 0]);
    await applyIn(workspaceId);
    await expect(asApp(workspaceId, `DELETE FROM audit_events WHERE workspace_id = $1`, [workspaceId])).rejects.toMatchObject({ code: "42501" });
    await expect(asApp(workspaceId, `UPDATE audit_checkpoints SET last_removed_seq = 3 WHERE workspace_id = $1`, [workspaceId])).rejects.toMatchObject({ code: "42501" });
    await expect(asApp(workspaceId, `INSERT INTO audit_checkpoints (workspace_id, last_removed_seq, last_removed_hash) VALUES ($1, 3, $2)`, [workspaceId, "a".repeat(64)])).rejects.toMatchObject({
      code: "42501",
    });
    expect(await seqs(workspaceId)).toEqual([3]);
  });

  it("the trigger refuses a DELETE that does not come from the function, even with a DELETE grant and the setting", async () => {
    const { workspaceId } = await workspaceWithHistory([60, 50, 40, 0]);
    await applyIn(workspaceId);
    const role = inject("appRole");
    await owner.query(`GRANT DELETE ON audit_events TO ${owner.escapeIdentifier(role)}`);
    try {
      await expect(asApp(workspaceId, `DELETE FROM audit_events WHERE workspace_id = $1`, [workspaceId])).rejects.toThrow(/append-only/);
    } finally {
      await owner.query(`REVOKE DELETE ON audit_events FROM ${owner.escapeIdentifier(role)}`);
    }
    expect(await seqs(workspaceId)).toEqual([4]);
  });

  it("the app role cannot call the trigger's guard, nor apply retention to a workspace other than its transaction's", async () => {
    const { workspaceId } = await workspaceWithHistory([60, 50, 0]);
    const other = await workspaceWithHistory([60, 50, 0]);
    await expect(asApp(workspaceId, `SELECT public.audit_events_guard_change()`)).rejects.toMatchObject({ code: "42501" });
    await expect(asApp(workspaceId, `SELECT * FROM public.audit_apply_retention($1::uuid)`, [other.workspaceId])).rejects.toMatchObject({ code: "42501" });
    expect(await seqs(other.workspaceId)).toEqual([1, 2, 3]);
  });

  it("the owner's own DELETE outside the function is refused too", async () => {
    const { workspaceId } = await workspaceWithHistory([60, 50, 0]);
    await owner.query("BEGIN");
    try {
      await owner.query("SELECT set_config('app.workspace_id', $1, true), set_config('warden.audit_retention', $1, true)", [workspaceId]);
      await expect(owner.query(`DELETE FROM audit_events WHERE workspace_id = $1 AND seq = 1`, [workspaceId])).rejects.toThrow(/append-only/);
    } finally {
      await owner.query("ROLLBACK");
    }
  });
});
