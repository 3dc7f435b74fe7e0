import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { spawnSync } from "node:child_process";
import type pg from "pg";
import { context, ownerClient, seedWorkspace, type SeededWorkspace } from "../support/owner-db";
import { withWorkspace } from "../../lib/db/with-workspace";
import { recordAuditEvent } from "../../lib/audit/record-audit-event";
import { CHAIN_COLUMNS, verifyAuditChain } from "../../lib/audit/verify-audit-chain";
import { computeEventHash } from "../../lib/audit/audit-chain";
import { configuredAuditKeyring } from "../../lib/audit/audit-chain-keys";

let owner: pg.Client;

/** The operator command as an operator runs it: the owner's URL and the master key, nothing else. */
const cli = (slug: string, extra: string[] = []) => {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: inject("ownerUrl"), LOG_LEVEL: "silent" };
  delete env.AUTH_SECRET;
  delete env.APP_DATABASE_URL;
  return spawnSync(process.execPath, ["--import", "tsx", "scripts/audit-verify.ts", "--workspace", slug, ...extra], { env, encoding: "utf8" });
};
let ws: SeededWorkspace;

const write = (workspaceId: string, metadata: Record<string, unknown> = {}) =>
  withWorkspace(workspaceId, (tx) =>
    recordAuditEvent(tx, {
      workspaceId,
      actor: { type: "user", id: ws.ownerId, label: 'Zoë «owner» "quoted"\nnewline' },
      action: "member.role_changed",
      target: { type: "user", id: ws.ownerId },
      metadata,
      context: context(),
    }),
  );

/** Changes a row the way someone with the owner's credentials could, bypassing the app and its triggers. */
async function tamper(sql: string, params: unknown[]) {
  await owner.query("BEGIN");
  await owner.query("SET LOCAL session_replication_role = replica");
  await owner.query(sql, params);
  await owner.query("COMMIT");
}

beforeAll(async () => {
  owner = await ownerClient();
  ws = await seedWorkspace(owner, "chain");
});
afterAll(() => owner.end());

describe("the audit hash chain", () => {
  it("chains every event, and verification agrees with what was written for awkward values", async () => {
    await write(ws.workspaceId, { before: { role: "viewer" }, after: { role: "admin" }, n: 1.5, big: 12345678901234, emoji: "🔐", nested: [{ z: 1, a: null }] });
    await write(ws.workspaceId, { "": "empty key", tab: "\t", unicode: "é" });
    const result = await verifyAuditChain({ workspaceId: ws.workspaceId });
    expect(result).toMatchObject({ status: "verified", count: 3 });
    const { rows } = await owner.query(`SELECT seq, prev_hash, hash FROM audit_events WHERE workspace_id = $1 ORDER BY seq`, [ws.workspaceId]);
    expect(rows.map((r) => Number(r.seq))).toEqual([1, 2, 3]);
    expect(rows[0].prev_hash).toBe("0".repeat(64));
    expect(rows[1].prev_hash).toBe(rows[0].hash);
    expect(rows[2].prev_hash).toBe(rows[1].hash);
    expect(result.status === "verified" && result.headHash).toBe(rows[2].hash);
  });

  it("does not fork when many transactions write to one workspace at once", async () => {
    const fresh = await seedWorkspace(owner, "chain-race");
    await Promise.all(Array.from({ length: 25 }, (_, i) => write(fresh.workspaceId, { i })));
    const { rows } = await owner.query(`SELECT seq FROM audit_events WHERE workspace_id = $1 ORDER BY seq`, [fresh.workspaceId]);
    expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: 26 }, (_, i) => i + 1));
    expect(await verifyAuditChain({ workspaceId: fresh.workspaceId })).toMatchObject({ status: "verified", count: 26 });
  });

  it("finds a row whose metadata was changed behind the app's back", async () => {
    const victim = await seedWorkspace(owner, "chain-tamper");
    for (let i = 0; i < 5; i++) await write(victim.workspaceId, { i });
    const { rows } = await owner.query(`SELECT id FROM audit_events WHERE workspace_id = $1 AND seq = 4`, [victim.workspaceId]);
    await tamper(`UPDATE audit_events SET metadata = '{"i": 99}' WHERE id = $1`, [rows[0].id]);
    expect(await verifyAuditChain({ workspaceId: victim.workspaceId, batchSize: 2 })).toEqual({
      status: "broken",
      count: 3,
      seq: "4",
      eventId: rows[0].id,
      reason: "hash_mismatch",
    });
  });

  it("finds a row whose hash was recomputed to hide a change, even with the key: the next link breaks", async () => {
    const victim = await seedWorkspace(owner, "chain-rehash");
    for (let i = 0; i < 3; i++) await write(victim.workspaceId, { i });
    await tamper(`UPDATE audit_events SET actor_label = 'someone else' WHERE workspace_id = $1 AND seq = 2`, [victim.workspaceId]);
    const [row] = (await owner.query(`SELECT ${CHAIN_COLUMNS} FROM audit_events e WHERE workspace_id = $1 AND seq = 2`, [victim.workspaceId])).rows;
    const rehashed = computeEventHash({ ...row, seq: BigInt(row.seq) }, configuredAuditKeyring().current);
    await tamper(`UPDATE audit_events SET hash = $2 WHERE workspace_id = $1 AND seq = 2`, [victim.workspaceId, rehashed]);
    // Recomputing the hash of row 2 makes row 2 consistent, but row 3 still points at the old hash.
    const { rows } = await owner.query(`SELECT id FROM audit_events WHERE workspace_id = $1 AND seq = 3`, [victim.workspaceId]);
    expect(await verifyAuditChain({ workspaceId: victim.workspaceId })).toMatchObject({ status: "broken", seq: "3", eventId: rows[0].id, reason: "link_mismatch" });
  });

  it("finds a deleted row as a gap", async () => {
    const victim = await seedWorkspace(owner, "chain-delete");
    for (let i = 0; i < 3; i++) await write(victim.workspaceId, { i });
    await tamper(`DELETE FROM audit_events WHERE workspace_id = $1 AND seq = 2`, [victim.workspaceId]);
    expect(await verifyAuditChain({ workspaceId: victim.workspaceId })).toMatchObject({ status: "broken", count: 1, seq: "3", reason: "gap" });
  });

  it("npm run audit:verify reports the count and head, or the first bad event with exit code 1", async () => {
    const healthy = await seedWorkspace(owner, "cli-ok");
    for (let i = 0; i < 2; i++) await write(healthy.workspaceId, { i });
    const ok = cli(healthy.slug);
    expect(ok.status, ok.stderr).toBe(0);
    const head = (await owner.query(`SELECT hash FROM audit_events WHERE workspace_id = $1 AND seq = 3`, [healthy.workspaceId])).rows[0].hash;
    expect(ok.stdout).toMatch(new RegExp(`^3 events verified in ${healthy.slug} \\(.*\\)\\. Head: 3:${head}`));

    const victim = await seedWorkspace(owner, "cli-bad");
    for (let i = 0; i < 3; i++) await write(victim.workspaceId, { i });
    await tamper(`UPDATE audit_events SET actor_label = 'forged' WHERE workspace_id = $1 AND seq = 3`, [victim.workspaceId]);
    const bad = cli(victim.slug);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^Chain broken at event #3 \([0-9a-f-]{36}\): its contents no longer match its hash/);

    const unknown = cli("no-such-workspace");
    expect(unknown.status).toBe(2);
  });

  it("npm run audit:verify --expect-head reports truncation (exit 1) once the newest events are deleted", async () => {
    const victim = await seedWorkspace(owner, "cli-truncate");
    for (let i = 0; i < 4; i++) await write(victim.workspaceId, { i });
    const { rows } = await owner.query(`SELECT seq::text AS seq, hash FROM audit_events WHERE workspace_id = $1 ORDER BY seq DESC LIMIT 1`, [victim.workspaceId]);
    const expectHead = `${rows[0].seq}:${rows[0].hash}`;
    const before = cli(victim.slug, ["--expect-head", expectHead]);
    expect(before.status, before.stderr).toBe(0);
    expect(before.stdout).toContain(`still holds the expected head #${rows[0].seq}`);

    await tamper(`DELETE FROM audit_events WHERE workspace_id = $1 AND seq >= 4`, [victim.workspaceId]);
    const alone = cli(victim.slug);
    expect(alone.status).toBe(0);
    const after = cli(victim.slug, ["--expect-head", expectHead]);
    expect(after.status).toBe(1);
    expect(after.stderr).toMatch(/^Truncation: the expected head #5 is missing: the newest events were deleted \(truncated\)\. The chain ends at #3/);
    expect(cli(victim.slug, ["--expect-head", "5:nothex"]).status).toBe(2);
  });

  it("npm run audit:verify with DATABASE_URL and no AUTH_SECRET leaves the app role's password and attributes alone", async () => {
    const appRole = decodeURIComponent(new URL(inject("appUrl")).username);
    const role = async () => (await owner.query(`SELECT rolpassword, rolvaliduntil, rolcanlogin, rolsuper, rolbypassrls FROM pg_authid WHERE rolname = $1`, [appRole])).rows[0];
    const before = await role();
    expect(before.rolpassword).toBeTruthy();
    const run = cli(ws.slug);
    expect(run.status, run.stderr).toBe(0);
    expect(await role()).toEqual(before);
  });
});
