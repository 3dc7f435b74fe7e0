import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { appClient, appendAuditEvents, ownerClient, seedMember, seedWorkspace, type SeededWorkspace } from "../support/owner-db";
import type { AuditAction } from "../../lib/audit/audit-actions";
import { generateApiKey, hashApiKey } from "../../lib/api-keys/api-key-token";
import { auditPageSchema } from "../../lib/audit/schemas";
import { limiter } from "../../lib/rate-limit/limits";
import { GET } from "../../app/api/v1/audit/route";

let owner: pg.Client;
let ws: SeededWorkspace;
let auditor: string;

async function insertKey(workspaceId: string, createdById: string, extra: { scopes?: string[]; expiresAt?: string; revoked?: boolean } = {}) {
  const { key, prefix, hash } = generateApiKey();
  const { rows } = await owner.query<{ id: string }>(
    `INSERT INTO api_keys (workspace_id, name, prefix, key_hash, scopes, created_by_id, expires_at, revoked_at)
     VALUES ($1, 'evidence bot', $2, $3, $4, $5, $6, $7) RETURNING id`,
    [workspaceId, prefix, hash, extra.scopes ?? ["audit:read"], createdById, extra.expiresAt ?? null, extra.revoked ? new Date() : null],
  );
  return { key, id: rows[0].id };
}

async function event(workspaceId: string, fields: { actorId?: string; action?: AuditAction; targetType?: string; targetId?: string; at?: string; label?: string }) {
  const label = fields.label ?? "seeded";
  await appendAuditEvents(owner, workspaceId, [
    {
      actor: fields.actorId ? { type: "user", id: fields.actorId, label } : { type: "system", label },
      action: fields.action ?? "member.role_changed",
      target: fields.targetType && fields.targetId ? { type: fields.targetType, id: fields.targetId } : undefined,
      occurredAt: fields.at ? new Date(fields.at) : undefined,
      context: { ip: null, userAgent: null, requestId: `req-${randomUUID()}` },
    },
  ]);
}

const call = (query: string, authorization?: string, ip = `198.51.100.${Math.floor(Math.random() * 250) + 1}`) =>
  GET(
    new Request(`http://warden.test/api/v1/audit${query}`, {
      headers: { ...(authorization && { authorization }), "x-warden-ip": ip, "x-request-id": `req-${randomUUID()}` },
    }),
  );

beforeAll(async () => {
  owner = await ownerClient();
  ws = await seedWorkspace(owner, "api");
  auditor = (await seedMember(owner, ws.workspaceId, "admin")).id;
});
afterAll(() => owner.end());

describe("GET /api/v1/audit authentication", () => {
  it.each([
    ["missing", undefined, "api_key_missing"],
    ["not a bearer", "Basic dXNlcjpwYXNz", "api_key_malformed"],
    ["malformed", "Bearer wdn_live_short", "api_key_malformed"],
    ["unknown", `Bearer ${generateApiKey().key}`, "api_key_unknown"],
  ])("a %s key gets 401 with a JSON reason", async (_label, authorization, reason) => {
    const response = await call("", authorization);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: "unauthenticated", reason } });
  });

  it("a revoked key gets 401", async () => {
    const { key } = await insertKey(ws.workspaceId, auditor, { revoked: true });
    const response = await call("", `Bearer ${key}`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { reason: "api_key_revoked" } });
  });

  it("an expired key gets 401", async () => {
    const { key } = await insertKey(ws.workspaceId, auditor, { expiresAt: new Date(Date.now() - 1000).toISOString() });
    const response = await call("", `Bearer ${key}`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { reason: "api_key_expired" } });
  });

  it("a key without audit:read gets 403", async () => {
    const { key } = await insertKey(ws.workspaceId, auditor, { scopes: ["usage:read"] });
    const response = await call("", `Bearer ${key}`);
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: "forbidden", reason: "insufficient_scope" } });
  });

  it("a key whose creator no longer holds audit.read gets 403", async () => {
    const dev = await seedMember(owner, ws.workspaceId, "admin");
    const { key } = await insertKey(ws.workspaceId, dev.id);
    expect((await call("", `Bearer ${key}`)).status).toBe(200);
    await owner.query(`UPDATE memberships SET role = 'developer' WHERE user_id = $1`, [dev.id]);
    const response = await call("", `Bearer ${key}`);
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { reason: "creator_lacks_access" } });
  });

  it("too many failed authentications from one address get 429", async () => {
    const ip = "198.51.100.251";
    for (let i = 0; i < 30; i++) expect((await call("", `Bearer ${generateApiKey().key}`, ip)).status).toBe(401);
    const response = await call("", `Bearer ${generateApiKey().key}`, ip);
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toMatch(/^\d+$/);
  });
});

describe("the key lookup", () => {
  it("sees only the one key whose hash it holds, in any workspace, and no key without one", async () => {
    const other = await seedWorkspace(owner, "api-lookup");
    const mine = await insertKey(ws.workspaceId, auditor);
    await insertKey(other.workspaceId, other.ownerId);
    const app = await appClient();
    try {
      await app.query("BEGIN");
      expect((await app.query("SELECT id FROM api_keys")).rows).toEqual([]);
      await app.query("SELECT set_config('app.api_key_hash', $1, true)", [hashApiKey(mine.key)]);
      expect((await app.query("SELECT id FROM api_keys")).rows).toEqual([{ id: mine.id }]);
      await app.query("ROLLBACK");
    } finally {
      await app.end();
    }
  });
});

describe("GET /api/v1/audit parameters", () => {
  it.each([
    ["?limit=0", "limit"],
    ["?limit=abc", "limit"],
    ["?action=not.an_action", "action"],
    ["?actor=someone", "actor"],
    ["?from=yesterday", "from"],
    ["?from=2026-11-22T10:00:00Z&to=2026-11-22T09:00:00Z", "to"],
    ["?range=24h&from=2026-11-22T10:00:00Z", "range"],
    ["?range=2d", "range"],
    ["?cursor=abc", "cursor"],
    ["?target_id=x", "target_type"],
    ["?actions=member.removed", "actions"],
    ["?limit=5&limit=6", "limit"],
    // Values PostgreSQL itself would refuse (22021, 22008) are refused here, before any query.
    ["?target_type=user&target_id=%00", "target_id"],
    ["?target_type=user&target_id=a%E2%80%AEb", "target_id"],
    ["?from=0000-01-01T00:00:00Z", "from"],
    ["?to=1969-12-31T23:59:59Z", "to"],
    ["?limit=99999999999999999999", "limit"],
    ["?cursor=99999999999999999999", "cursor"],
    ["?actor=user:%00", "actor"],
    ["?%00=1", "query"],
  ])("%s gets 400 naming %s", async (query, parameter) => {
    const { key } = await insertKey(ws.workspaceId, auditor);
    const response = await call(query, `Bearer ${key}`);
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body).toMatchObject({ error: { code: "invalid_input", reason: "invalid_parameter", parameter } });
    expect(body.error.message).toContain(parameter);
  });
});

describe("GET /api/v1/audit results", () => {
  it("combines filters, answers in the documented shape and sends rate-limit headers", async () => {
    const fresh = await seedWorkspace(owner, "api-filters");
    const alice = randomUUID();
    const bob = randomUUID();
    await event(fresh.workspaceId, { actorId: alice, action: "member.role_changed", targetType: "user", targetId: "t1", at: "2026-11-01T10:00:00Z" });
    await event(fresh.workspaceId, { actorId: alice, action: "member.removed", targetType: "user", targetId: "t1", at: "2026-11-01T11:00:00Z" });
    await event(fresh.workspaceId, { actorId: alice, action: "member.role_changed", targetType: "user", targetId: "t2", at: "2026-11-01T12:00:00Z" });
    await event(fresh.workspaceId, { actorId: bob, action: "member.role_changed", targetType: "user", targetId: "t1", at: "2026-11-01T13:00:00Z" });
    await event(fresh.workspaceId, { actorId: alice, action: "member.role_changed", targetType: "user", targetId: "t1", at: "2026-11-03T10:00:00Z" });
    const { key } = await insertKey(fresh.workspaceId, fresh.ownerId);

    const query = `?actor=user:${alice}&action=member.role_changed&action=member.removed&target_type=user&target_id=t1&from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z`;
    const response = await call(query, `Bearer ${key}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("ratelimit-limit")).toBe("300");
    expect(Number(response.headers.get("ratelimit-remaining"))).toBeLessThan(300);
    const body = auditPageSchema.parse(await response.json());
    expect(body.data.map((e) => [e.action, e.occurred_at])).toEqual([
      ["member.removed", "2026-11-01T11:00:00.000Z"],
      ["member.role_changed", "2026-11-01T10:00:00.000Z"],
    ]);
    expect(body.next_cursor).toBeNull();

    const one = auditPageSchema.parse(await (await call(`?actor=user:${alice}&action=member.role_changed`, `Bearer ${key}`)).json());
    expect(one.data).toHaveLength(3);
    expect(one.data.every((e) => e.actor.id === alice && e.action === "member.role_changed")).toBe(true);
  });

  it("never shows another workspace's events", async () => {
    const other = await seedWorkspace(owner, "api-other");
    await event(other.workspaceId, { action: "member.removed", label: "other-workspace-marker" });
    const { key } = await insertKey(ws.workspaceId, auditor);
    const body = await (await call("?limit=200", `Bearer ${key}`)).json();
    expect(JSON.stringify(body)).not.toContain("other-workspace-marker");
  });

  it("pages exactly by cursor while events keep arriving", async () => {
    const fresh = await seedWorkspace(owner, "api-cursor");
    for (let i = 0; i < 11; i++) await event(fresh.workspaceId, { label: `before-${i}` });
    const { key } = await insertKey(fresh.workspaceId, fresh.ownerId);
    const expected = (await owner.query(`SELECT id FROM audit_events WHERE workspace_id = $1 ORDER BY seq DESC`, [fresh.workspaceId])).rows.map((r) => r.id);

    const seen: string[] = [];
    let cursor: string | null = null;
    let round = 0;
    do {
      const page = auditPageSchema.parse(await (await call(`?limit=4${cursor ? `&cursor=${cursor}` : ""}`, `Bearer ${key}`)).json());
      seen.push(...page.data.map((e) => e.id));
      cursor = page.next_cursor;
      // New events land between every two pages.
      for (let i = 0; i < 3; i++) await event(fresh.workspaceId, { label: `during-${round}-${i}` });
      round += 1;
    } while (cursor);
    expect(seen).toEqual(expected);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it("answers 429 with Retry-After once the key's budget is spent, and records last use", async () => {
    const { key, id } = await insertKey(ws.workspaceId, auditor);
    expect((await call("", `Bearer ${key}`)).status).toBe(200);
    const { rows } = await owner.query(`SELECT last_used_at FROM api_keys WHERE id = $1`, [id]);
    expect(rows[0].last_used_at).toBeInstanceOf(Date);
    await limiter("apiKeyRequests").penalty(id, 300);
    const response = await call("", `Bearer ${key}`);
    expect(response.status).toBe(429);
    expect(response.headers.get("ratelimit-remaining")).toBe("0");
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await response.json()).toMatchObject({ error: { code: "rate_limited" } });
  });
});
