import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { signInAs } from "../support/request-stub";
import { context, ownerClient, seedWorkspace, type SeededWorkspace } from "../support/owner-db";
import { withWorkspace } from "../../lib/db/with-workspace";
import { createSecret } from "../../lib/secrets/create-secret";
import { updateSecret } from "../../lib/secrets/update-secret";
import { readSecretVersion } from "../../lib/secrets/secret-versions";
import { idle } from "../../lib/actions/action-state";
import { form } from "../support/form";

// Rollback, destroy and edits of one secret: each runs under the secret's row lock
// (lib/secrets/lock-secret.ts) or one conditional UPDATE, proven here in parallel.

vi.mock("next/headers", async () => (await import("../support/request-stub")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const { rollbackSecret } = await import("../../lib/actions/secrets/rollback-secret");
const { destroySecretVersion } = await import("../../lib/actions/secrets/destroy-secret-version");
const { updateSecret: updateSecretAction } = await import("../../lib/actions/secrets/update-secret");
const { rollbackSecret: rollbackDomain } = await import("../../lib/secrets/rollback-secret");
const { destroySecretVersion: destroyDomain } = await import("../../lib/secrets/destroy-secret-version");

let owner: pg.Client;
beforeAll(async () => {
  owner = await ownerClient();
});
afterAll(() => owner.end());

const actor = (ws: SeededWorkspace) => ({ type: "user" as const, id: ws.ownerId, label: ws.ownerEmail });
const noDetails = { description: "", rotationIntervalDays: undefined, expiresOn: undefined };

/** A signed-in owner (MFA fresh) and a secret with v1 = "value-one", v2 = "value-two". */
async function fixture(label: string) {
  const ws = await seedWorkspace(owner, label);
  await owner.query(`UPDATE users SET mfa_enabled_at = now() WHERE id = $1`, [ws.ownerId]);
  const environmentId = (await owner.query(`SELECT id FROM environments WHERE workspace_id = $1 AND name = 'production'`, [ws.workspaceId])).rows[0].id;
  const { secretId } = await withWorkspace(ws.workspaceId, (tx) =>
    createSecret(tx, { workspaceId: ws.workspaceId, input: { environmentId, name: "VERSIONED", value: "value-one", ...noDetails }, actor: actor(ws), context: context() }),
  );
  await update(ws, secretId, 1, "value-two");
  await signInAs(owner, ws.ownerId);
  return { ws, secretId };
}

function update(ws: SeededWorkspace, secretId: string, revision: number, value?: string) {
  return withWorkspace(ws.workspaceId, (tx) => updateSecret(tx, { workspaceId: ws.workspaceId, input: { secretId, revision, value, ...noDetails }, actor: actor(ws), context: context() }));
}
const rollback = (ws: SeededWorkspace, secretId: string, version: number) =>
  withWorkspace(ws.workspaceId, (tx) => rollbackDomain(tx, { workspaceId: ws.workspaceId, secretId, version, actor: actor(ws), context: context() }));
const destroy = (ws: SeededWorkspace, secretId: string, version: number) =>
  withWorkspace(ws.workspaceId, (tx) => destroyDomain(tx, { workspaceId: ws.workspaceId, secretId, version, actor: actor(ws), context: context() }));
const read = (ws: SeededWorkspace, secretId: string, version: number) => withWorkspace(ws.workspaceId, (tx) => readSecretVersion(tx, { workspaceId: ws.workspaceId, secretId, version }));

async function versions(secretId: string) {
  const { rows } = await owner.query(`SELECT version, rolled_back_from, ciphertext IS NOT NULL AS sealed FROM secret_versions WHERE secret_id = $1 ORDER BY version`, [secretId]);
  return rows as { version: number; rolled_back_from: number | null; sealed: boolean }[];
}
async function auditCount(secretId: string, action: string) {
  return (await owner.query(`SELECT count(*)::int AS n FROM audit_events WHERE target_id = $1 AND action = $2`, [secretId, action])).rows[0].n as number;
}
const currentVersion = async (secretId: string) => (await owner.query(`SELECT current_version FROM secrets WHERE id = $1`, [secretId])).rows[0].current_version as number;

describe("secret versions", () => {
  it("a rollback writes a new version equal to the old one, marked as rolled back from it, and audited without the value", async () => {
    const { ws, secretId } = await fixture("rollback");
    const result = await rollbackSecret(idle, form({ workspace: ws.slug, secretId, version: "1" }));
    expect(result).toEqual({ status: "ok", data: { version: 3, rolledBackFrom: 1 } });
    expect(await read(ws, secretId, 3)).toBe("value-one");
    expect(await versions(secretId)).toEqual([
      { version: 1, rolled_back_from: null, sealed: true },
      { version: 2, rolled_back_from: null, sealed: true },
      { version: 3, rolled_back_from: 1, sealed: true },
    ]);
    expect(await currentVersion(secretId)).toBe(3);
    const { rows } = await owner.query(`SELECT metadata, row_to_json(a)::text AS whole FROM audit_events a WHERE target_id = $1 AND action = 'secret.rolled_back'`, [secretId]);
    expect(rows).toHaveLength(1);
    expect(rows[0].metadata).toEqual({ name: "VERSIONED", environment: "production", version: 3, rolled_back_from: 1 });
    expect(rows[0].whole).not.toContain("value-one");
  });

  it("a rollback to a destroyed version is refused clearly and writes nothing", async () => {
    const { ws, secretId } = await fixture("rollback-destroyed");
    await destroy(ws, secretId, 1);
    const result = await rollbackSecret(idle, form({ workspace: ws.slug, secretId, version: "1" }));
    expect(result).toMatchObject({ status: "error", code: "conflict", error: expect.stringMatching(/Version 1 of VERSIONED was destroyed/) });
    expect((await versions(secretId)).map((v) => v.version)).toEqual([1, 2]);
    expect(await currentVersion(secretId)).toBe(2);
    expect(await auditCount(secretId, "secret.rolled_back")).toBe(0);
    // A version that never existed is not found.
    expect(await rollbackSecret(idle, form({ workspace: ws.slug, secretId, version: "9" }))).toMatchObject({ status: "error", code: "not_found" });
  });

  it("destroying a version wipes its ciphertext and keeps who wrote it and when, and who destroyed it", async () => {
    const { ws, secretId } = await fixture("destroy");
    const before = (await owner.query(`SELECT created_by_id, created_at, data_key_id FROM secret_versions WHERE secret_id = $1 AND version = 1`, [secretId])).rows[0];
    const result = await destroySecretVersion(idle, form({ workspace: ws.slug, secretId, version: "1" }));
    expect(result).toEqual({ status: "ok", data: { version: 1 } });
    const after = (await owner.query(`SELECT ciphertext, created_by_id, created_at, data_key_id, destroyed_at, destroyed_by_id FROM secret_versions WHERE secret_id = $1 AND version = 1`, [secretId]))
      .rows[0];
    expect(after).toMatchObject({ ciphertext: null, created_by_id: before.created_by_id, created_at: before.created_at, data_key_id: before.data_key_id, destroyed_by_id: ws.ownerId });
    expect(after.destroyed_at).toBeInstanceOf(Date);
    expect(await read(ws, secretId, 1)).toBeNull();
    expect(await read(ws, secretId, 2)).toBe("value-two");
    const { rows } = await owner.query(`SELECT metadata FROM audit_events WHERE target_id = $1 AND action = 'secret.version_destroyed'`, [secretId]);
    expect(rows.map((r) => r.metadata)).toEqual([{ name: "VERSIONED", environment: "production", version: 1, current: false }]);
    // Destroying it again is refused, clearly.
    expect(await destroySecretVersion(idle, form({ workspace: ws.slug, secretId, version: "1" }))).toMatchObject({
      status: "error",
      code: "conflict",
      error: expect.stringMatching(/already destroyed/),
    });
  });

  it("two destroys of one version in parallel: one destroys it, the other is told it is gone, and one audit event is written", async () => {
    const { ws, secretId } = await fixture("destroy-race");
    const results = await Promise.allSettled([destroy(ws, secretId, 2), destroy(ws, secretId, 2)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r): r is PromiseRejectedResult => r.status === "rejected")!;
    expect(refused.reason).toMatchObject({ code: "conflict" });
    expect(await auditCount(secretId, "secret.version_destroyed")).toBe(1);
  });

  it("a rollback, another rollback and an edit in parallel run one after another: consecutive versions, none written twice", async () => {
    for (let round = 0; round < 3; round++) {
      const { ws, secretId } = await fixture(`serial-${round}`);
      const results = await Promise.allSettled([rollback(ws, secretId, 1), update(ws, secretId, 2, `edited-${round}`), rollback(ws, secretId, 2)]);
      const [firstRollback, edit, secondRollback] = results;
      expect(firstRollback.status).toBe("fulfilled");
      expect(secondRollback.status).toBe("fulfilled");
      // The edit carried revision 2: it lands only if it ran before both rollbacks; otherwise it is refused as stale.
      if (edit.status === "rejected") expect(edit.reason).toMatchObject({ code: "conflict", reason: "stale_revision" });
      const expected = edit.status === "fulfilled" ? 5 : 4;
      const written = await versions(secretId);
      expect(written.map((v) => v.version)).toEqual(Array.from({ length: expected }, (_, i) => i + 1));
      expect(await currentVersion(secretId)).toBe(expected);
      expect(await auditCount(secretId, "secret.rolled_back")).toBe(2);
      // Each rollback copied the value its version held.
      for (const v of written.filter((w) => w.rolled_back_from)) {
        expect(await read(ws, secretId, v.version)).toBe(v.rolled_back_from === 1 ? "value-one" : "value-two");
      }
    }
  });

  it("a stale edit through the action gets the conflict message, saves nothing, and never sends the typed value back", async () => {
    const { ws, secretId } = await fixture("stale-action");
    const typed = `typed-${randomUUID()}`;
    // The form was rendered at revision 1; the secret is at revision 2 (value-two).
    const result = await updateSecretAction(idle, form({ workspace: ws.slug, secretId, revision: "1", value: typed, description: "from a stale tab", rotationIntervalDays: "", expiresOn: "" }));
    expect(result).toMatchObject({ status: "error", code: "conflict", error: expect.stringMatching(/VERSIONED was changed by .* after you opened it\. Nothing was saved/) });
    expect(JSON.stringify(result)).not.toContain(typed);
    expect(result.status === "error" && result.values?.description).toBe("from a stale tab");
    expect((await versions(secretId)).map((v) => v.version)).toEqual([1, 2]);
    expect((await owner.query(`SELECT description, revision FROM secrets WHERE id = $1`, [secretId])).rows[0]).toEqual({ description: "", revision: 2 });
    // The same form at the current revision saves.
    const saved = await updateSecretAction(idle, form({ workspace: ws.slug, secretId, revision: "2", value: typed, description: "fresh", rotationIntervalDays: "30", expiresOn: "" }));
    expect(saved).toEqual({ status: "ok", data: { version: 3, revision: 3 } });
    expect(await read(ws, secretId, 3)).toBe(typed);
  });
});
