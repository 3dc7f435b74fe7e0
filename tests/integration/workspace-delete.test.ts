import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import type pg from "pg";
import { signInAs } from "../support/request-stub";
import { appClient, appendAuditEvents, context, ownerClient, seedMember, seedWorkspace, type SeededWorkspace } from "../support/owner-db";
import { seedAgent, seedRuntimeKey } from "../support/seed-agents";
import { withWorkspace } from "../../lib/db/with-workspace";
import { createSecret } from "../../lib/secrets/create-secret";
import { updateSecret } from "../../lib/secrets/update-secret";
import { idle } from "../../lib/actions/action-state";
import { resolveMembership } from "../../lib/workspaces/resolve-membership";
import { form } from "../support/form";

// Deleting a workspace for good: the whole data graph (every table with a
// workspace_id column, found in the catalog), one receipt kept, other workspaces
// untouched, and only an owner, with a fresh MFA check and the name typed. The
// action is called directly, as a forged request would call it.

vi.mock("next/headers", async () => (await import("../support/request-stub")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const { deleteWorkspace } = await import("../../lib/actions/workspaces/delete-workspace");

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

/** Every public table with a workspace_id column, as the catalog lists it now (the receipts excepted: they are meant to outlive it). */
async function workspaceTables(): Promise<string[]> {
  const { rows } = await owner.query<{ table_name: string }>(
    `SELECT c.table_name FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
      WHERE c.table_schema = 'public' AND c.column_name = 'workspace_id' AND t.table_type = 'BASE TABLE'
        AND c.table_name <> 'workspace_deletion_receipts' ORDER BY 1`,
  );
  return rows.map((r) => r.table_name);
}

async function countsFor(workspaceId: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of await workspaceTables()) {
    const { rows } = await owner.query<{ n: number }>(`SELECT count(*)::int AS n FROM public.${owner.escapeIdentifier(table)} WHERE workspace_id = $1`, [workspaceId]);
    out[table] = rows[0].n;
  }
  return out;
}

type Full = SeededWorkspace & { name: string; admin: { id: string; email: string }; member: { id: string; email: string } };

/** A workspace with rows in every table that names it, and an MFA-enabled owner. */
async function fullWorkspace(): Promise<Full> {
  const ws = await seedWorkspace(owner, "gone");
  const name = `Acme ${randomUUID().slice(0, 6)} — Ünïcode`;
  await owner.query(`UPDATE workspaces SET name = $2 WHERE id = $1`, [ws.workspaceId, name]);
  await owner.query(`UPDATE users SET mfa_enabled_at = now() WHERE id = $1`, [ws.ownerId]);
  const admin = await seedMember(owner, ws.workspaceId, "admin");
  const member = await seedMember(owner, ws.workspaceId, "developer");
  const id = ws.workspaceId;
  await owner.query(`INSERT INTO invitations (workspace_id, email, role, token_hash, expires_at) VALUES ($1, $2, 'viewer', $3, now() + interval '1 day')`, [
    id,
    `invitee-${randomUUID().slice(0, 6)}@example.test`,
    randomBytes(16).toString("hex"),
  ]);
  const agentId = await seedAgent(owner, id);
  const key = await seedRuntimeKey(owner, id, ws.ownerId, ["runtime:usage"], agentId);
  const environmentId = (await owner.query(`SELECT id FROM environments WHERE workspace_id = $1 AND name = 'production'`, [id])).rows[0].id;
  const actor = { type: "user" as const, id: ws.ownerId, label: ws.ownerEmail };
  const { secretId } = await withWorkspace(id, (tx) =>
    createSecret(tx, { workspaceId: id, input: { environmentId, name: "GONE", value: "v1", description: "", rotationIntervalDays: undefined, expiresOn: undefined }, actor, context: context() }),
  );
  await withWorkspace(id, (tx) =>
    updateSecret(tx, { workspaceId: id, input: { secretId, revision: 1, value: "v2", description: "", rotationIntervalDays: undefined, expiresOn: undefined }, actor, context: context() }),
  );
  await owner.query(`INSERT INTO secret_access_windows (workspace_id, api_key_id, secret_id, version, environment) VALUES ($1, $2, $3, 2, 'production')`, [id, key.id, secretId]);
  await owner.query(`INSERT INTO agent_days (workspace_id, agent_id, day, held_micros) VALUES ($1, $2, current_date, 100)`, [id, agentId]);
  await owner.query(
    `INSERT INTO spend_holds (workspace_id, agent_id, day, idempotency_key, request_hash, model, held_micros, expires_at)
     VALUES ($1, $2, current_date, $3, 'h', 'gpt-4o', 100, now() + interval '1 hour')`,
    [id, agentId, randomUUID()],
  );
  await owner.query(`INSERT INTO model_prices (workspace_id, model, input_micros_per_mtok, output_micros_per_mtok, effective_from) VALUES ($1, 'gpt-4o', 1, 2, current_date)`, [id]);
  await owner.query(`INSERT INTO usage_events (workspace_id, id, agent_id, type, occurred_at, day) VALUES ($1, $2, $3, 'conversation.started', now(), current_date)`, [id, randomUUID(), agentId]);
  await owner.query(`INSERT INTO usage_daily (workspace_id, agent_id, day) VALUES ($1, $2, current_date)`, [id, agentId]);
  await owner.query(`INSERT INTO password_resets (user_id, token_hash, issued_in_workspace_id, issued_by_id, expires_at) VALUES ($1, $2, $3, $4, now() + interval '1 hour')`, [
    member.id,
    randomBytes(16).toString("hex"),
    id,
    ws.ownerId,
  ]);
  const hasCheckpoints = (await owner.query(`SELECT to_regclass('public.audit_checkpoints') IS NOT NULL AS present`)).rows[0].present;
  if (hasCheckpoints) {
    await owner.query(`INSERT INTO audit_checkpoints (workspace_id, last_removed_seq, last_removed_hash) VALUES ($1, 1, $2)`, [id, "a".repeat(64)]);
  }
  await appendAuditEvents(owner, id, [{ actor, action: "member.invited", context: context() }]);
  return { ...ws, name, admin, member };
}

async function head(workspaceId: string) {
  const { rows } = await owner.query(`SELECT seq::text AS seq, hash FROM audit_events WHERE workspace_id = $1 ORDER BY seq DESC LIMIT 1`, [workspaceId]);
  return rows[0] as { seq: string; hash: string };
}

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");
const remove = (f: Full, confirmName = f.name) => deleteWorkspace(idle, form({ workspace: f.slug, confirmName }));

describe("deleting a workspace", () => {
  it("removes every row that names it, leaves another workspace untouched, and returns and keeps a true receipt", async () => {
    const f = await fullWorkspace();
    const other = await fullWorkspace();
    const before = await countsFor(f.workspaceId);
    // The fixture reaches every table the catalog lists: an empty one would prove nothing.
    for (const [table, n] of Object.entries(before)) expect(n, table).toBeGreaterThan(0);
    const otherBefore = await countsFor(other.workspaceId);
    const finalHead = await head(f.workspaceId);

    await signInAs(owner, f.ownerId);
    const result = await remove(f);
    expect(result.status).toBe("ok");
    const receipt = (result as { data: Record<string, unknown> }).data as {
      workspace_id: string;
      name_sha256: string;
      deleted_by_user_id: string;
      deleted_by_label: string;
      rows_removed: Record<string, number>;
      final_audit_seq: string;
      final_audit_hash: string;
      receipt_id: string;
      deleted_at: string;
    };

    const after = await countsFor(f.workspaceId);
    for (const [table, n] of Object.entries(after)) expect(n, table).toBe(0);
    expect((await owner.query(`SELECT 1 FROM workspaces WHERE id = $1`, [f.workspaceId])).rowCount).toBe(0);
    expect((await owner.query(`SELECT 1 FROM password_resets WHERE issued_in_workspace_id = $1`, [f.workspaceId])).rowCount).toBe(0);
    expect(await countsFor(other.workspaceId)).toEqual(otherBefore);

    expect(receipt.workspace_id).toBe(f.workspaceId);
    expect(receipt.name_sha256).toBe(sha256(f.name));
    expect(receipt.deleted_by_user_id).toBe(f.ownerId);
    expect(receipt.deleted_by_label).toBe(f.ownerEmail);
    expect(receipt.final_audit_seq).toBe(finalHead.seq);
    expect(receipt.final_audit_hash).toBe(finalHead.hash);
    expect(receipt.rows_removed).toEqual({ ...before, "password_resets.issued_in_workspace_id": 1, workspaces: 1 });
    expect(receipt.deleted_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    // The receipt is kept, and the app role cannot read it (only the function's answer carries it).
    const kept = await owner.query(`SELECT rows_removed, final_audit_seq::text AS seq, final_audit_hash, name_sha256 FROM workspace_deletion_receipts WHERE workspace_id = $1`, [f.workspaceId]);
    expect(kept.rows[0]).toEqual({ rows_removed: receipt.rows_removed, seq: finalHead.seq, final_audit_hash: finalHead.hash, name_sha256: sha256(f.name) });
    await expect(app.query(`SELECT * FROM workspace_deletion_receipts`)).rejects.toThrow(/permission denied/);

    // Its members are out of it on their next request: no membership, so the page answers 404 and actions not_found.
    expect(await resolveMembership(f.member.id, f.slug)).toBeNull();
    await signInAs(owner, f.member.id);
    expect(await remove(f)).toMatchObject({ status: "error", code: "not_found" });
    // Their accounts and other memberships stay.
    expect((await owner.query(`SELECT 1 FROM users WHERE id = ANY($1)`, [[f.ownerId, f.admin.id, f.member.id]])).rowCount).toBe(3);
  });

  it("is refused to an admin, on the server, and nothing is removed", async () => {
    const f = await fullWorkspace();
    await owner.query(`UPDATE users SET mfa_enabled_at = now() WHERE id = $1`, [f.admin.id]);
    const before = await countsFor(f.workspaceId);
    await signInAs(owner, f.admin.id);
    expect(await remove(f)).toMatchObject({ status: "error", code: "forbidden" });
    expect(await countsFor(f.workspaceId)).toEqual(before);
  });

  it("is refused when the typed name is not the workspace's exact name", async () => {
    const f = await fullWorkspace();
    const before = await countsFor(f.workspaceId);
    await signInAs(owner, f.ownerId);
    for (const typed of [f.name.toUpperCase(), ` ${f.name}`, f.slug, ""]) {
      expect(await remove(f, typed)).toMatchObject({ status: "error", code: "invalid_input", fieldErrors: { confirmName: [expect.any(String)] } });
    }
    expect(await countsFor(f.workspaceId)).toEqual(before);
  });

  it("is refused without a fresh MFA check, and to an owner without MFA (who is told to enrol)", async () => {
    const f = await fullWorkspace();
    const before = await countsFor(f.workspaceId);
    await signInAs(owner, f.ownerId);
    await owner.query(`UPDATE sessions SET mfa_verified_at = now() - interval '2 hours' WHERE user_id = $1`, [f.ownerId]);
    expect(await remove(f)).toMatchObject({ status: "error", code: "step_up_required" });
    await owner.query(`UPDATE sessions SET mfa_verified_at = NULL WHERE user_id = $1`, [f.ownerId]);
    expect(await remove(f)).toMatchObject({ status: "error", code: "step_up_required" });
    await owner.query(`UPDATE users SET mfa_enabled_at = NULL WHERE id = $1`, [f.ownerId]);
    await signInAs(owner, f.ownerId);
    expect(await remove(f)).toMatchObject({ status: "error", code: "step_up_required", error: expect.stringMatching(/Set up two-factor authentication/) });
    expect(await countsFor(f.workspaceId)).toEqual(before);
  });

  it("the app role can neither delete audit rows itself nor use the function for someone who is not an owner", async () => {
    const f = await fullWorkspace();
    const before = await countsFor(f.workspaceId);
    const inWorkspace = async (workspaceId: string, sql: string, values: unknown[] = []) => {
      await app.query("BEGIN");
      try {
        await app.query("SELECT set_config('app.workspace_id', $1, true)", [workspaceId]);
        // The flag the function sets does not open anything to the app role.
        await app.query("SELECT set_config('warden.audit_rewrite', $1, true)", [workspaceId]);
        return await app.query(sql, values);
      } finally {
        await app.query("ROLLBACK");
      }
    };
    await expect(inWorkspace(f.workspaceId, `DELETE FROM audit_events WHERE workspace_id = $1`, [f.workspaceId])).rejects.toThrow(/permission denied/);
    await expect(inWorkspace(f.workspaceId, `UPDATE audit_events SET actor_label = 'x' WHERE workspace_id = $1`, [f.workspaceId])).rejects.toThrow(/permission denied/);
    await expect(inWorkspace(f.workspaceId, `DELETE FROM workspace_deletion_receipts`)).rejects.toThrow(/permission denied/);
    const call = (workspaceId: string, context: string, by: string, name = f.name) =>
      inWorkspace(context, `SELECT public.delete_workspace($1::uuid, $2::uuid, $3, 'x')`, [workspaceId, by, sha256(name)]);
    await expect(call(f.workspaceId, f.workspaceId, f.admin.id)).rejects.toThrow(/only an owner/);
    await expect(call(f.workspaceId, f.workspaceId, f.member.id)).rejects.toThrow(/only an owner/);
    await expect(call(f.workspaceId, f.workspaceId, f.ownerId, "wrong name")).rejects.toThrow(/does not match/);
    // Another workspace's context cannot reach this one.
    const elsewhere = await seedWorkspace(owner, "elsewhere");
    await expect(call(f.workspaceId, elsewhere.workspaceId, f.ownerId)).rejects.toThrow(/workspace of the transaction/);
    expect(await countsFor(f.workspaceId)).toEqual(before);
    // The owner's own call succeeds, which is what the refusals above are measured against.
    const ok = await inWorkspace(f.workspaceId, `SELECT public.delete_workspace($1::uuid, $2::uuid, $3, 'x') AS r`, [f.workspaceId, f.ownerId, sha256(f.name)]);
    expect(ok.rows[0].r.workspace_id).toBe(f.workspaceId);
  });
});
