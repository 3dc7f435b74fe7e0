import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { signInAs } from "../support/request-stub";
import { context, ownerClient, seedMember, seedWorkspace, type SeededWorkspace } from "../support/owner-db";
import { withWorkspace } from "../../lib/db/with-workspace";
import { createApiKey } from "../../lib/api-keys/create-api-key";
import { revokeApiKey } from "../../lib/api-keys/revoke-api-key";
import { listApiKeys } from "../../lib/api-keys/list-api-keys";
import { hashApiKey } from "../../lib/api-keys/api-key-token";
import { expiresAtFrom } from "../../lib/api-keys/expiry";
import type { ActionState } from "../../lib/actions/action-state";
import type { Role } from "../../lib/generated/prisma/enums";

vi.mock("next/headers", async () => (await import("../support/request-stub")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

let owner: pg.Client;
beforeAll(async () => {
  owner = await ownerClient();
});
afterAll(() => owner.end());

const DAY_MS = 24 * 3600_000;
const actor = (id: string) => ({ type: "user" as const, id, label: "actor" });

function create(ws: SeededWorkspace, options: { actorId?: string; actorRole?: Role; name?: string; scopes?: string[]; expiresAt?: Date | null } = {}) {
  return withWorkspace(ws.workspaceId, (tx) =>
    createApiKey(tx, {
      workspaceId: ws.workspaceId,
      name: options.name ?? "CI export",
      scopes: options.scopes ?? ["audit:read"],
      expiresAt: options.expiresAt === undefined ? new Date(Date.now() + 30 * DAY_MS) : options.expiresAt,
      actorRole: options.actorRole ?? "owner",
      actor: actor(options.actorId ?? ws.ownerId),
      context: context(),
    }),
  );
}

const revoke = (ws: SeededWorkspace, apiKeyId: string, actorId = ws.ownerId, actorRole: Role = "owner") =>
  withWorkspace(ws.workspaceId, (tx) => revokeApiKey(tx, { workspaceId: ws.workspaceId, apiKeyId, actorRole, actor: actor(actorId), context: context() }));

const auditRows = async (ws: SeededWorkspace, action: string) =>
  (await owner.query(`SELECT actor_id, target_type, target_id, metadata FROM audit_events WHERE workspace_id = $1 AND action = $2`, [ws.workspaceId, action])).rows;

describe("creating a key", () => {
  it("stores only the SHA-256 and a short prefix: the full key appears in no key row and no audit row", async () => {
    const ws = await seedWorkspace(owner, "keys");
    const created = await create(ws, { name: "SIEM export" });
    expect(created.key).toMatch(/^wdn_live_[A-Za-z0-9_-]{32}$/);
    expect(created.prefix).toBe(created.key.slice(0, "wdn_live_".length + 6));

    const { rows } = await owner.query(`SELECT k.*, k::text AS whole FROM api_keys k WHERE workspace_id = $1`, [ws.workspaceId]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ name: "SIEM export", prefix: created.prefix, key_hash: hashApiKey(created.key), scopes: ["audit:read"], created_by_id: ws.ownerId });
    const secretPart = created.key.slice(created.prefix.length);
    expect(rows[0].whole).not.toContain(secretPart);

    const audit = await owner.query(`SELECT a::text AS whole FROM audit_events a WHERE workspace_id = $1`, [ws.workspaceId]);
    for (const row of audit.rows) {
      expect(row.whole).not.toContain(secretPart);
      expect(row.whole).not.toContain(hashApiKey(created.key));
    }
    const [event] = await auditRows(ws, "api_key.created");
    expect(event).toMatchObject({ actor_id: ws.ownerId, target_type: "api_key", target_id: created.id });
    expect(event.metadata).toEqual({ name: "SIEM export", prefix: created.prefix, scopes: ["audit:read"], expiresAt: created.expiresAt });
  });

  it("a developer manages keys but cannot give one a scope their role lacks: a field error, and nothing is written", async () => {
    const ws = await seedWorkspace(owner, "keys");
    const developer = await seedMember(owner, ws.workspaceId, "developer");
    const refused = create(ws, { actorId: developer.id, actorRole: "developer" });
    await expect(refused).rejects.toMatchObject({ code: "forbidden", fieldErrors: { scopes: [expect.stringMatching(/audit:read needs audit\.read/)] } });
    const { rows } = await owner.query(`SELECT count(*)::int AS n FROM api_keys WHERE workspace_id = $1`, [ws.workspaceId]);
    expect(rows[0].n).toBe(0);
    expect(await auditRows(ws, "api_key.created")).toHaveLength(0);
  });

  it("refuses unknown scopes, no scope, and an expiry in the past or more than two years ahead", async () => {
    const ws = await seedWorkspace(owner, "keys");
    await expect(create(ws, { scopes: ["audit:delete"] })).rejects.toMatchObject({ code: "invalid_input", fieldErrors: { scopes: ["Unknown scope: audit:delete"] } });
    await expect(create(ws, { scopes: [] })).rejects.toMatchObject({ code: "invalid_input", fieldErrors: { scopes: ["Choose at least one scope"] } });
    await expect(create(ws, { expiresAt: new Date(Date.now() - 1000) })).rejects.toMatchObject({ fieldErrors: { expiresOn: ["Choose a date in the future"] } });
    await expect(create(ws, { expiresAt: new Date(Date.now() + 731 * DAY_MS) })).rejects.toMatchObject({ fieldErrors: { expiresOn: [expect.stringMatching(/at most 2 years/)] } });
    const { rows } = await owner.query(`SELECT count(*)::int AS n FROM api_keys WHERE workspace_id = $1`, [ws.workspaceId]);
    expect(rows[0].n).toBe(0);
  });

  it("turns the form's expiry choice into a UTC instant", () => {
    const now = new Date("2026-11-22T10:00:00Z");
    expect(expiresAtFrom({ expiry: "never" }, now)).toBeNull();
    expect(expiresAtFrom({ expiry: "90" }, now)).toEqual(new Date("2027-02-20T10:00:00Z"));
    expect(expiresAtFrom({ expiry: "custom", expiresOn: "2027-01-31" }, now)).toEqual(new Date("2027-01-31T23:59:59.999Z"));
    expect(() => expiresAtFrom({ expiry: "custom" }, now)).toThrow(/highlighted/);
    expect(() => expiresAtFrom({ expiry: "custom", expiresOn: "2026-11-21" }, now)).toThrow(/highlighted/);
    expect(() => expiresAtFrom({ expiry: "custom", expiresOn: "2028-11-23" }, now)).toThrow(/highlighted/);
  });
});

describe("revoking a key", () => {
  it("marks the key revoked by whom, keeps it listed, and records the event without the key or its hash", async () => {
    const ws = await seedWorkspace(owner, "keys");
    const admin = await seedMember(owner, ws.workspaceId, "admin");
    const creator = await seedMember(owner, ws.workspaceId, "admin");
    const created = await create(ws, { actorId: creator.id, actorRole: "admin" });
    await revoke(ws, created.id, admin.id, "admin");

    const { rows } = await owner.query(`SELECT revoked_at, revoked_by_id FROM api_keys WHERE id = $1`, [created.id]);
    expect(rows[0].revoked_at).toBeInstanceOf(Date);
    expect(rows[0].revoked_by_id).toBe(admin.id);
    const [event] = await auditRows(ws, "api_key.revoked");
    expect(event).toMatchObject({ actor_id: admin.id, target_type: "api_key", target_id: created.id });
    expect(event.metadata).toEqual({ name: "CI export", prefix: created.prefix, scopes: ["audit:read"], expiresAt: created.expiresAt });
    expect(JSON.stringify(event.metadata)).not.toContain(hashApiKey(created.key));

    const listed = await withWorkspace(ws.workspaceId, (tx) => listApiKeys(tx, ws.workspaceId));
    expect(listed).toEqual([expect.objectContaining({ id: created.id, status: "revoked" })]);
  });

  it("revoking a key twice is a clear conflict, not a failure, and records one event", async () => {
    const ws = await seedWorkspace(owner, "keys");
    const created = await create(ws, { name: "twice" });
    await revoke(ws, created.id);
    await expect(revoke(ws, created.id)).rejects.toMatchObject({ code: "conflict", message: "The key “twice” is already revoked." });
    expect(await auditRows(ws, "api_key.revoked")).toHaveLength(1);
  });

  it("a key of another workspace cannot be revoked from this one, and stays active", async () => {
    const mine = await seedWorkspace(owner, "keys");
    const theirs = await seedWorkspace(owner, "keys");
    const theirKey = await create(theirs);
    await expect(revoke(mine, theirKey.id)).rejects.toMatchObject({ code: "not_found" });
    // Naming their workspace inside ours changes nothing either: RLS shows only ours.
    const crossed = withWorkspace(mine.workspaceId, (tx) =>
      revokeApiKey(tx, { workspaceId: theirs.workspaceId, apiKeyId: theirKey.id, actorRole: "owner", actor: actor(mine.ownerId), context: context() }),
    );
    await expect(crossed).rejects.toMatchObject({ code: "not_found" });
    const { rows } = await owner.query(`SELECT revoked_at FROM api_keys WHERE id = $1`, [theirKey.id]);
    expect(rows[0].revoked_at).toBeNull();
    expect(await auditRows(mine, "api_key.revoked")).toHaveLength(0);
  });
});

describe("who may revoke a key (the rules of creating it)", () => {
  const revokedAt = async (id: string) => (await owner.query(`SELECT revoked_at FROM api_keys WHERE id = $1`, [id])).rows[0].revoked_at;

  it("a developer cannot revoke an owner's audit:read key, a key they could never create: refused, still active, nothing recorded", async () => {
    const ws = await seedWorkspace(owner, "keys-revoke");
    const developer = await seedMember(owner, ws.workspaceId, "developer");
    const ownersKey = await create(ws, { name: "owner's" });
    await expect(revoke(ws, ownersKey.id, developer.id, "developer")).rejects.toMatchObject({ code: "forbidden", message: expect.stringMatching(/only the keys you created/) });
    expect(await revokedAt(ownersKey.id)).toBeNull();
    expect(await auditRows(ws, "api_key.revoked")).toHaveLength(0);
  });

  it("an admin cannot revoke an owner's key; an owner revokes an admin's", async () => {
    const ws = await seedWorkspace(owner, "keys-revoke");
    const admin = await seedMember(owner, ws.workspaceId, "admin");
    const ownersKey = await create(ws, { name: "owner's" });
    const adminsKey = await create(ws, { name: "admin's", actorId: admin.id, actorRole: "admin" });
    await expect(revoke(ws, ownersKey.id, admin.id, "admin")).rejects.toMatchObject({ code: "forbidden", message: expect.stringMatching(/above yours/) });
    expect(await revokedAt(ownersKey.id)).toBeNull();
    await revoke(ws, adminsKey.id, ws.ownerId, "owner");
    expect(await revokedAt(adminsKey.id)).toBeInstanceOf(Date);
  });

  it("a member revokes their own key, even after losing the rights behind it", async () => {
    const ws = await seedWorkspace(owner, "keys-revoke");
    const admin = await seedMember(owner, ws.workspaceId, "admin");
    const own = await create(ws, { name: "mine", actorId: admin.id, actorRole: "admin" });
    await owner.query(`UPDATE memberships SET role = 'developer' WHERE user_id = $1`, [admin.id]);
    await revoke(ws, own.id, admin.id, "developer");
    expect(await revokedAt(own.id)).toBeInstanceOf(Date);
  });

  it("the list says which keys the viewer may revoke", async () => {
    const ws = await seedWorkspace(owner, "keys-revoke");
    const admin = await seedMember(owner, ws.workspaceId, "admin");
    await create(ws, { name: "owner's" });
    await create(ws, { name: "admin's", actorId: admin.id, actorRole: "admin" });
    const revocable = async (viewer: { id: string; role: Role }) =>
      Object.fromEntries((await withWorkspace(ws.workspaceId, (tx) => listApiKeys(tx, ws.workspaceId, new Date(), viewer))).map((k) => [k.name, k.revocable]));
    expect(await revocable({ id: admin.id, role: "admin" })).toEqual({ "owner's": false, "admin's": true });
    expect(await revocable({ id: ws.ownerId, role: "owner" })).toEqual({ "owner's": true, "admin's": true });
  });
});

describe("the key list", () => {
  it("shows this workspace's keys newest first, with creator, expiry, last use and status, never the hash", async () => {
    const ws = await seedWorkspace(owner, "keys");
    const other = await seedWorkspace(owner, "keys");
    await create(other, { name: "not ours" });
    const forever = await create(ws, { name: "forever", expiresAt: null });
    const lapsed = await create(ws, { name: "lapsed" });
    const gone = await create(ws, { name: "gone" });
    await owner.query(`UPDATE api_keys SET expires_at = now() - interval '1 minute', last_used_at = now() - interval '1 hour' WHERE id = $1`, [lapsed.id]);
    await revoke(ws, gone.id);

    const listed = await withWorkspace(ws.workspaceId, (tx) => listApiKeys(tx, ws.workspaceId));
    expect(listed.map((k) => [k.name, k.status])).toEqual([
      ["gone", "revoked"],
      ["lapsed", "expired"],
      ["forever", "active"],
    ]);
    const byName = Object.fromEntries(listed.map((k) => [k.name, k]));
    expect(byName.forever).toMatchObject({ prefix: forever.prefix, expiresAt: null, lastUsedAt: null, createdBy: { email: ws.ownerEmail } });
    expect(byName.lapsed.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed)).not.toMatch(/key_?hash/i);
  });

  it("marks a key suspended once its creator no longer holds the rights behind its scopes", async () => {
    const ws = await seedWorkspace(owner, "keys-suspended");
    const admin = await seedMember(owner, ws.workspaceId, "admin");
    await create(ws, { name: "admin's", actorId: admin.id, actorRole: "admin" });
    const status = async () => (await withWorkspace(ws.workspaceId, (tx) => listApiKeys(tx, ws.workspaceId)))[0].status;
    expect(await status()).toBe("active");
    await owner.query(`UPDATE memberships SET role = 'developer' WHERE user_id = $1`, [admin.id]);
    expect(await status()).toBe("suspended");
    await owner.query(`DELETE FROM memberships WHERE user_id = $1`, [admin.id]);
    expect(await status()).toBe("suspended");
  });
});

describe("through the server actions", () => {
  let ws: SeededWorkspace;
  let developerId: string;
  let actions: typeof import("../../lib/actions/api-keys/create-api-key") & typeof import("../../lib/actions/api-keys/revoke-api-key");

  beforeAll(async () => {
    ws = await seedWorkspace(owner, "keys");
    developerId = (await seedMember(owner, ws.workspaceId, "developer")).id;
    actions = { ...(await import("../../lib/actions/api-keys/create-api-key")), ...(await import("../../lib/actions/api-keys/revoke-api-key")) };
  });

  const submit = (fields: Record<string, string | string[]>) => {
    const form = new FormData();
    form.set("workspace", ws.slug);
    for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) form.append(name, v);
    return actions.createApiKey({ status: "idle" }, form);
  };
  const fieldErrors = (state: ActionState) => (state.status === "error" ? state.fieldErrors : undefined);

  it("returns the full key once, in the answer to its creator, and the name trimmed", async () => {
    await signInAs(owner, ws.ownerId);
    const day = new Date(Date.now() + 100 * DAY_MS).toISOString().slice(0, 10);
    const state = await submit({ name: "  Nightly export  ", scopes: ["audit:read", "audit:read"], expiry: "custom", expiresOn: day });
    expect(state.status, JSON.stringify(state)).toBe("ok");
    if (state.status !== "ok") return;
    expect(state.data).toMatchObject({ name: "Nightly export", scopes: ["audit:read"], expiresAt: `${day}T23:59:59.999Z` });
    const { rows } = await owner.query(`SELECT key_hash FROM api_keys WHERE id = $1`, [state.data.id]);
    expect(rows[0].key_hash).toBe(hashApiKey(state.data.key));
  });

  it("answers each invalid field with its own message", async () => {
    await signInAs(owner, ws.ownerId);
    expect(fieldErrors(await submit({ name: "   ", scopes: "audit:read" }))).toEqual({ name: ["Enter a name for the key"] });
    expect(fieldErrors(await submit({ name: "x".repeat(81), scopes: "audit:read" }))).toEqual({ name: ["Use at most 80 characters"] });
    expect(fieldErrors(await submit({ name: "k" }))).toEqual({ scopes: ["Choose at least one scope"] });
    expect(fieldErrors(await submit({ name: "k", scopes: ["audit:read", "secrets:reveal"] }))).toEqual({ scopes: ["Unknown scope"] });
    expect(fieldErrors(await submit({ name: "k", scopes: "audit:read", expiry: "forever" }))).toEqual({ expiry: ["Choose when the key expires"] });
    expect(fieldErrors(await submit({ name: "k", scopes: "audit:read", expiry: "custom", expiresOn: "" }))).toEqual({ expiresOn: ["Choose the day the key expires"] });
    expect(fieldErrors(await submit({ name: "k", scopes: "audit:read", expiry: "custom", expiresOn: "2020-01-01" }))).toEqual({ expiresOn: ["Choose a date in the future"] });
    expect(fieldErrors(await submit({ name: "k", scopes: "audit:read", expiry: "custom", expiresOn: "31/12/2027" }))).toEqual({ expiresOn: ["Enter a valid date"] });
    const { rows } = await owner.query(`SELECT count(*)::int AS n FROM api_keys WHERE workspace_id = $1 AND name = 'k'`, [ws.workspaceId]);
    expect(rows[0].n).toBe(0);
  });

  it("a developer calling the action directly is refused audit:read with a field error on scopes", async () => {
    await signInAs(owner, developerId);
    const state = await submit({ name: "sneaky", scopes: "audit:read" });
    expect(state).toMatchObject({ status: "error", code: "forbidden", fieldErrors: { scopes: [expect.stringMatching(/your role lacks/)] } });
    expect(JSON.stringify(state)).not.toContain("wdn_live_");
  });

  it("revoking through the action names the key; a second revoke and an unknown id are clear errors", async () => {
    await signInAs(owner, ws.ownerId);
    const created = await submit({ name: "to revoke", scopes: "audit:read" });
    if (created.status !== "ok") throw new Error(JSON.stringify(created));
    const revokeForm = (apiKeyId: string) => {
      const form = new FormData();
      form.set("workspace", ws.slug);
      form.set("apiKeyId", apiKeyId);
      return actions.revokeApiKey({ status: "idle" }, form);
    };
    expect(await revokeForm(created.data.id)).toMatchObject({ status: "ok", data: { name: "to revoke", prefix: created.data.prefix } });
    expect(await revokeForm(created.data.id)).toMatchObject({ status: "error", code: "conflict", error: "The key “to revoke” is already revoked." });
    expect(await revokeForm(randomUUID())).toMatchObject({ status: "error", code: "not_found" });
    expect(await revokeForm("not-a-uuid")).toMatchObject({ status: "error", fieldErrors: { apiKeyId: ["Unknown API key"] } });
  });

  it("a developer calling the revoke action directly on an owner's key is refused, and the key stays active", async () => {
    await signInAs(owner, ws.ownerId);
    const created = await submit({ name: "owner's key", scopes: "audit:read" });
    if (created.status !== "ok") throw new Error(JSON.stringify(created));
    await signInAs(owner, developerId);
    const form = new FormData();
    form.set("workspace", ws.slug);
    form.set("apiKeyId", created.data.id);
    expect(await actions.revokeApiKey({ status: "idle" }, form)).toMatchObject({ status: "error", code: "forbidden" });
    const { rows } = await owner.query(`SELECT revoked_at FROM api_keys WHERE id = $1`, [created.data.id]);
    expect(rows[0].revoked_at).toBeNull();
  });
});
