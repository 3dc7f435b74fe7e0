import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { context, ownerClient, seedWorkspace, type SeededWorkspace } from "../support/owner-db";
import { generateApiKey } from "../../lib/api-keys/api-key-token";
import { withWorkspace } from "../../lib/db/with-workspace";
import { createSecret } from "../../lib/secrets/create-secret";
import { updateSecret } from "../../lib/secrets/update-secret";
import { sealAccessWindows } from "../../lib/secrets/seal-access-windows";
import { purgeDeletedSecrets } from "../../lib/secrets/purge-deleted-secrets";
import { POST } from "../../app/api/v1/secrets/resolve/route";

vi.mock("next/headers", async () => (await import("../support/request-stub")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

// The audit writer, made to fail on demand: a request that opens a window must not answer without its event.
const audit = vi.hoisted(() => ({ fail: false }));
vi.mock("../../lib/audit/record-audit-event", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../lib/audit/record-audit-event")>();
  return {
    ...real,
    recordAuditEvents: async (...args: Parameters<typeof real.recordAuditEvents>) => {
      if (audit.fail) throw new Error("audit store unavailable");
      return real.recordAuditEvents(...args);
    },
  };
});

let owner: pg.Client;
beforeAll(async () => {
  owner = await ownerClient();
});
afterAll(() => owner.end());

async function secret(ws: SeededWorkspace, name: string, value: string) {
  const env = (await owner.query<{ id: string }>(`SELECT id FROM environments WHERE workspace_id = $1 AND name = 'production'`, [ws.workspaceId])).rows[0].id;
  const input = { environmentId: env, name, value, description: "", rotationIntervalDays: undefined, expiresOn: undefined };
  const actor = { type: "user" as const, id: ws.ownerId, label: ws.ownerEmail };
  return (await withWorkspace(ws.workspaceId, (tx) => createSecret(tx, { workspaceId: ws.workspaceId, input, actor, context: context() }))).secretId;
}

async function insertKey(ws: SeededWorkspace) {
  const { key, prefix, hash } = generateApiKey();
  const { rows } = await owner.query<{ id: string }>(
    `INSERT INTO api_keys (workspace_id, name, prefix, key_hash, scopes, created_by_id) VALUES ($1, 'agent runtime', $2, $3, '{secrets:resolve}', $4) RETURNING id::text`,
    [ws.workspaceId, prefix, hash, ws.ownerId],
  );
  return { key, id: rows[0].id };
}

const resolve = (key: string, names: string[]) =>
  POST(
    new Request("http://warden.test/api/v1/secrets/resolve", {
      method: "POST",
      headers: {
        authorization: `Bearer ${key}`,
        "content-type": "application/json",
        "x-warden-ip": `198.51.100.${Math.floor(Math.random() * 250) + 1}`,
        "x-request-id": `req-${randomUUID()}`,
      },
      body: JSON.stringify({ environment: "production", names }),
    }),
  );

/** The owner is held to RLS too (FORCE): its fixture writes run in the workspace's context. */
async function asOwnerIn(ws: SeededWorkspace, sql: string, params: unknown[] = []) {
  await owner.query("BEGIN");
  try {
    await owner.query("SELECT set_config('app.workspace_id', $1, true)", [ws.workspaceId]);
    const result = await owner.query(sql, params);
    await owner.query("COMMIT");
    return result;
  } catch (error) {
    await owner.query("ROLLBACK");
    throw error;
  }
}

const accessEvents = async (ws: SeededWorkspace) =>
  (
    await owner.query<{ actor_id: string | null; target_id: string; metadata: Record<string, unknown> }>(
      `SELECT actor_id::text AS actor_id, target_id, metadata FROM audit_events WHERE workspace_id = $1 AND action = 'secret.accessed' ORDER BY seq`,
      [ws.workspaceId],
    )
  ).rows;

const windows = async (ws: SeededWorkspace) =>
  (
    await asOwnerIn(
      ws,
      `SELECT api_key_id::text AS key, secret_id::text AS secret, version, count, previous_count, sealed_at FROM secret_access_windows
        WHERE workspace_id = $1 ORDER BY api_key_id, secret_id, version`,
      [ws.workspaceId],
    )
  ).rows;

describe("identical resolutions by one key within 60 seconds: one secret.accessed and a count", () => {
  it("20 parallel resolves of the same names write exactly one event per name, and every access is counted", async () => {
    const ws = await seedWorkspace(owner, "windows-parallel");
    const names = ["ALPHA", "BETA", "GAMMA"];
    for (const name of names) await secret(ws, name, `${name.toLowerCase()}-value`);
    const { key, id } = await insertKey(ws);

    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => resolve(key, i % 2 ? names : [...names].reverse())));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    const events = await accessEvents(ws);
    expect(events.map((e) => e.metadata.name).sort()).toEqual(names);
    expect(events.every((e) => e.actor_id === id && e.metadata.previous_window_count === null && e.metadata.environment === "production" && e.metadata.version === 1)).toBe(true);
    expect((await windows(ws)).map((w) => w.count)).toEqual([20, 20, 20]);
  });

  it("once the window is 60 seconds old, the next resolve opens a new one whose event seals the closed window's count", async () => {
    const ws = await seedWorkspace(owner, "windows-reopen");
    const secretId = await secret(ws, "ALPHA", "alpha-value");
    const { key } = await insertKey(ws);
    for (let i = 0; i < 20; i++) expect((await resolve(key, ["ALPHA"])).status).toBe(200);
    expect(await accessEvents(ws)).toHaveLength(1);

    await asOwnerIn(ws, `UPDATE secret_access_windows SET opened_at = now() - interval '61 seconds' WHERE workspace_id = $1`, [ws.workspaceId]);
    expect((await resolve(key, ["ALPHA"])).status).toBe(200);
    expect((await resolve(key, ["ALPHA"])).status).toBe(200);
    const events = await accessEvents(ws);
    expect(events).toHaveLength(2);
    expect(events[1]).toMatchObject({ target_id: secretId, metadata: { name: "ALPHA", environment: "production", version: 1, previous_window_count: 20 } });
    expect(await windows(ws)).toEqual([expect.objectContaining({ count: 2, previous_count: 20 })]);
  });

  it("a different key, or a new version, opens a window of its own", async () => {
    const ws = await seedWorkspace(owner, "windows-own");
    const secretId = await secret(ws, "ALPHA", "alpha-value");
    const first = await insertKey(ws);
    const second = await insertKey(ws);
    expect((await resolve(first.key, ["ALPHA"])).status).toBe(200);
    expect((await resolve(second.key, ["ALPHA"])).status).toBe(200);
    expect((await resolve(first.key, ["ALPHA"])).status).toBe(200);
    expect((await accessEvents(ws)).map((e) => e.actor_id)).toEqual([first.id, second.id]);

    await withWorkspace(ws.workspaceId, (tx) =>
      updateSecret(tx, {
        workspaceId: ws.workspaceId,
        input: { secretId, revision: 1, value: "alpha-second", description: "", rotationIntervalDays: undefined, expiresOn: undefined },
        actor: { type: "user", id: ws.ownerId, label: ws.ownerEmail },
        context: context(),
      }),
    );
    const response = await resolve(first.key, ["ALPHA"]);
    expect(await response.json()).toEqual({ values: { ALPHA: "alpha-second" } });
    const events = await accessEvents(ws);
    expect(events).toHaveLength(3);
    expect(events[2]).toMatchObject({ actor_id: first.id, metadata: { version: 2, previous_window_count: null } });
    const byKey = (await windows(ws)).map((w) => [w.key === first.id ? "first" : "second", w.version, w.count]);
    expect(byKey.sort()).toEqual([
      ["first", 1, 2],
      ["first", 2, 1],
      ["second", 1, 1],
    ]);
  });

  it("the maintenance seal writes a closed window's count once, however many passes run", async () => {
    const ws = await seedWorkspace(owner, "windows-seal");
    await secret(ws, "ALPHA", "alpha-value");
    await secret(ws, "BETA", "beta-value");
    await secret(ws, "GAMMA", "gamma-value");
    const { key, id } = await insertKey(ws);
    for (let i = 0; i < 4; i++) expect((await resolve(key, ["ALPHA", "BETA"])).status).toBe(200);
    expect((await resolve(key, ["GAMMA"])).status).toBe(200);
    // ALPHA's and GAMMA's windows closed more than 60 seconds ago; BETA's is still open.
    await asOwnerIn(
      ws,
      `UPDATE secret_access_windows w SET opened_at = now() - interval '3 minutes' FROM secrets s
        WHERE s.id = w.secret_id AND w.workspace_id = $1 AND s.name IN ('ALPHA', 'GAMMA')`,
      [ws.workspaceId],
    );
    await sealAccessWindows();
    await sealAccessWindows();
    const sealed = (await accessEvents(ws)).filter((e) => e.metadata.sealed === true);
    // GAMMA's window holds only its opening event's access: nothing to seal.
    expect(sealed).toEqual([
      expect.objectContaining({
        actor_id: id,
        metadata: expect.objectContaining({ name: "ALPHA", environment: "production", version: 1, window_count: 4, sealed: true, opened_at: expect.any(String) }),
      }),
    ]);
    const sealedAt = (await windows(ws)).filter((w) => w.sealed_at !== null);
    expect(sealedAt).toEqual([expect.objectContaining({ count: 4 })]);
  });

  it("fails the resolution, answering no value and counting nothing, when the opening request's audit write fails", async () => {
    const ws = await seedWorkspace(owner, "windows-audit-fail");
    const marker = `marker-${randomUUID()}`;
    await secret(ws, "GUARDED", marker);
    const { key } = await insertKey(ws);
    audit.fail = true;
    let response: Response;
    try {
      response = await resolve(key, ["GUARDED"]);
    } finally {
      audit.fail = false;
    }
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain(marker);
    expect(await windows(ws)).toEqual([]);
    expect(await accessEvents(ws)).toEqual([]);
    // The next request opens the window and is audited.
    expect((await resolve(key, ["GUARDED"])).status).toBe(200);
    expect(await accessEvents(ws)).toHaveLength(1);
    expect((await windows(ws)).map((w) => w.count)).toEqual([1]);
  });

  it("a purged secret takes its windows with it", async () => {
    const ws = await seedWorkspace(owner, "windows-purge");
    const secretId = await secret(ws, "ALPHA", "alpha-value");
    const { key } = await insertKey(ws);
    expect((await resolve(key, ["ALPHA"])).status).toBe(200);
    await asOwnerIn(ws, `UPDATE secrets SET deleted_at = now() - interval '31 days' WHERE id = $1`, [secretId]);
    await purgeDeletedSecrets();
    expect(await windows(ws)).toEqual([]);
  });
});
