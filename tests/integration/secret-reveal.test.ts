import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { signInAs } from "../support/request-stub";
import { context, ownerClient, seedMember, seedWorkspace, type SeededWorkspace } from "../support/owner-db";
import { withWorkspace } from "../../lib/db/with-workspace";
import { createSecret } from "../../lib/secrets/create-secret";
import { updateSecret } from "../../lib/secrets/update-secret";
import { idle } from "../../lib/actions/action-state";
import { form } from "../support/form";

// Revealing a value: owners only, always after a fresh MFA check within the
// workspace's window, whatever its step-up setting; every reveal audited without
// the value. The action is called directly, as a forged request would call it.

vi.mock("next/headers", async () => (await import("../support/request-stub")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const { revealSecret } = await import("../../lib/actions/secrets/reveal-secret");

let owner: pg.Client;
beforeAll(async () => {
  owner = await ownerClient();
});
afterAll(() => owner.end());

type Fixture = SeededWorkspace & { secretId: string; marker: string };

/** A workspace that does NOT ask for step-up, and a secret with a unique value at v1 and v2. */
async function fixture(): Promise<Fixture> {
  const ws = await seedWorkspace(owner, "reveal");
  await owner.query(`UPDATE workspaces SET step_up_required = false WHERE id = $1`, [ws.workspaceId]);
  await owner.query(`UPDATE users SET mfa_enabled_at = now() WHERE id = $1`, [ws.ownerId]);
  const marker = `reveal-marker-${randomUUID()}`;
  const environmentId = (await owner.query(`SELECT id FROM environments WHERE workspace_id = $1 AND name = 'production'`, [ws.workspaceId])).rows[0].id;
  const actor = { type: "user" as const, id: ws.ownerId, label: ws.ownerEmail };
  const { secretId } = await withWorkspace(ws.workspaceId, (tx) =>
    createSecret(tx, {
      workspaceId: ws.workspaceId,
      input: { environmentId, name: "REVEAL_ME", value: `${marker}-v1`, description: "", rotationIntervalDays: undefined, expiresOn: undefined },
      actor,
      context: context(),
    }),
  );
  await withWorkspace(ws.workspaceId, (tx) =>
    updateSecret(tx, {
      workspaceId: ws.workspaceId,
      input: { secretId, revision: 1, value: marker, description: "", rotationIntervalDays: undefined, expiresOn: undefined },
      actor,
      context: context(),
    }),
  );
  return { ...ws, secretId, marker };
}

const reveal = (f: Fixture, extra: Record<string, string> = {}) => revealSecret(idle, form({ workspace: f.slug, secretId: f.secretId, ...extra }));

async function revealEvents(f: Fixture) {
  const { rows } = await owner.query(`SELECT action, metadata, row_to_json(a)::text AS whole FROM audit_events a WHERE workspace_id = $1 AND action = 'secret.revealed' ORDER BY seq`, [f.workspaceId]);
  return rows;
}

describe("revealing a secret's value", () => {
  it("an owner with a fresh MFA check sees the current value; the reveal is audited with name, environment and version, never the value", async () => {
    const f = await fixture();
    await signInAs(owner, f.ownerId);
    const result = await reveal(f);
    expect(result).toEqual({ status: "ok", data: { value: f.marker, version: 2 } });
    const events = await revealEvents(f);
    expect(events).toHaveLength(1);
    expect(events[0].metadata).toEqual({ name: "REVEAL_ME", environment: "production", version: 2 });
    expect(events[0].whole).not.toContain(f.marker);
  });

  it("an owner may reveal a chosen older version; a destroyed one is refused clearly", async () => {
    const f = await fixture();
    await signInAs(owner, f.ownerId);
    expect(await reveal(f, { version: "1" })).toEqual({ status: "ok", data: { value: `${f.marker}-v1`, version: 1 } });
    await owner.query(`UPDATE secret_versions SET ciphertext = NULL, destroyed_at = now() WHERE secret_id = $1 AND version = 1`, [f.secretId]);
    const refused = await reveal(f, { version: "1" });
    expect(refused).toMatchObject({ status: "error", code: "conflict", error: expect.stringMatching(/Version 1 of REVEAL_ME was destroyed/) });
    expect(await revealEvents(f)).toHaveLength(1);
  });

  it("is refused with step_up_required when the MFA check is older than the window, although the workspace does not require step-up", async () => {
    const f = await fixture();
    await owner.query(`UPDATE workspaces SET step_up_window_minutes = 5 WHERE id = $1`, [f.workspaceId]);
    await signInAs(owner, f.ownerId);
    await owner.query(`UPDATE sessions SET mfa_verified_at = now() - interval '6 minutes' WHERE user_id = $1`, [f.ownerId]);
    const result = await reveal(f);
    expect(result).toMatchObject({ status: "error", code: "step_up_required" });
    expect(JSON.stringify(result)).not.toContain(f.marker);
    expect(await revealEvents(f)).toHaveLength(0);
  });

  it("is refused with step_up_required when this session never passed an MFA check", async () => {
    const f = await fixture();
    await signInAs(owner, f.ownerId);
    await owner.query(`UPDATE sessions SET mfa_verified_at = NULL WHERE user_id = $1`, [f.ownerId]);
    expect(await reveal(f)).toMatchObject({ status: "error", code: "step_up_required" });
    expect(await revealEvents(f)).toHaveLength(0);
  });

  it.each(["admin", "developer"])("is forbidden to an %s, even with a fresh MFA check", async (role) => {
    const f = await fixture();
    const member = await seedMember(owner, f.workspaceId, role);
    await owner.query(`UPDATE users SET mfa_enabled_at = now() WHERE id = $1`, [member.id]);
    await signInAs(owner, member.id);
    const result = await reveal(f);
    expect(result).toMatchObject({ status: "error", code: "forbidden" });
    expect(JSON.stringify(result)).not.toContain(f.marker);
    expect(await revealEvents(f)).toHaveLength(0);
  });

  it("an owner without MFA cannot reveal and is told to set it up under Account → Security", async () => {
    const f = await fixture();
    const other = await seedMember(owner, f.workspaceId, "owner");
    await signInAs(owner, other.id);
    const result = await reveal(f);
    expect(result).toMatchObject({ status: "error", code: "step_up_required", error: expect.stringMatching(/Account → Security/) });
    expect(await revealEvents(f)).toHaveLength(0);
  });

  it("a forged direct call without a fresh MFA check is refused, whichever version it names, and records no reveal", async () => {
    const f = await fixture();
    await signInAs(owner, f.ownerId);
    await owner.query(`UPDATE sessions SET mfa_verified_at = now() - interval '1 day' WHERE user_id = $1`, [f.ownerId]);
    for (const extra of [{}, { version: "1" }, { version: "2" }] as Record<string, string>[]) {
      const result = await revealSecret(idle, form({ workspace: f.slug, secretId: f.secretId, ...extra }));
      expect(result).toMatchObject({ status: "error", code: "step_up_required" });
      expect(JSON.stringify(result)).not.toContain(f.marker);
    }
    expect(await revealEvents(f)).toHaveLength(0);
  });

  it("another workspace's secret looks exactly like a missing one", async () => {
    const f = await fixture();
    const mine = await seedWorkspace(owner, "reveal-other");
    await owner.query(`UPDATE users SET mfa_enabled_at = now() WHERE id = $1`, [mine.ownerId]);
    await signInAs(owner, mine.ownerId);
    const foreign = await revealSecret(idle, form({ workspace: mine.slug, secretId: f.secretId }));
    const missing = await revealSecret(idle, form({ workspace: mine.slug, secretId: randomUUID() }));
    expect(foreign).toMatchObject({ status: "error", code: "not_found" });
    expect(foreign).toEqual({ ...missing });
  });
});
