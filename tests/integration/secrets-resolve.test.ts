import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { context, ownerClient, seedMember, seedWorkspace, type SeededWorkspace } from "../support/owner-db";
import { generateApiKey } from "../../lib/api-keys/api-key-token";
import { withWorkspace } from "../../lib/db/with-workspace";
import { createSecret } from "../../lib/secrets/create-secret";
import { updateSecret } from "../../lib/secrets/update-secret";
import { SMALL_JSON_BODY_MAX_BYTES } from "../../lib/http/parse-json-body";
import { createApiKey } from "../../lib/api-keys/create-api-key";
import { listApiKeys } from "../../lib/api-keys/list-api-keys";
import { signInAs } from "../support/request-stub";
import type { ActionState } from "../../lib/actions/action-state";
import type { Role } from "../../lib/generated/prisma/enums";
import { POST } from "../../app/api/v1/secrets/resolve/route";

vi.mock("next/headers", async () => (await import("../support/request-stub")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

// The audit writer, made to fail on demand: a resolution whose audit cannot be written must not answer.
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

const environmentId = async (ws: SeededWorkspace, name: string) =>
  (await owner.query<{ id: string }>(`SELECT id FROM environments WHERE workspace_id = $1 AND name = $2`, [ws.workspaceId, name])).rows[0].id;

async function secret(ws: SeededWorkspace, name: string, value: string, env = "production") {
  const input = { environmentId: await environmentId(ws, env), name, value, description: "", rotationIntervalDays: undefined, expiresOn: undefined };
  const actor = { type: "user" as const, id: ws.ownerId, label: ws.ownerEmail };
  return (await withWorkspace(ws.workspaceId, (tx) => createSecret(tx, { workspaceId: ws.workspaceId, input, actor, context: context() }))).secretId;
}

async function insertKey(ws: SeededWorkspace, createdById: string, extra: { scopes?: string[]; environment?: string; names?: string[] } = {}) {
  const { key, prefix, hash } = generateApiKey();
  const environment = extra.environment ? await environmentId(ws, extra.environment) : null;
  const { rows } = await owner.query<{ id: string }>(
    `INSERT INTO api_keys (workspace_id, name, prefix, key_hash, scopes, created_by_id, environment_id, secret_names)
     VALUES ($1, 'agent runtime', $2, $3, $4, $5, $6, $7) RETURNING id`,
    [ws.workspaceId, prefix, hash, extra.scopes ?? ["secrets:resolve"], createdById, environment, extra.names ?? []],
  );
  return { key, id: rows[0].id };
}

/** A key made the way the console makes one (lib/api-keys/create-api-key.ts), by a member of the given role. */
async function createResolveKey(ws: SeededWorkspace, actorId: string, actorRole: Role, held: { environmentId?: string | null; secretNames?: string[]; scopes?: string[] } = {}) {
  return withWorkspace(ws.workspaceId, (tx) =>
    createApiKey(tx, {
      workspaceId: ws.workspaceId,
      name: "agent runtime",
      scopes: held.scopes ?? ["secrets:resolve"],
      expiresAt: null,
      environmentId: held.environmentId,
      secretNames: held.secretNames,
      actorRole,
      actor: { type: "user", id: actorId, label: "creator" },
      context: context(),
    }),
  );
}

const request = (key: string | undefined, body: unknown, init: { contentType?: string; raw?: BodyInit; query?: string } = {}) =>
  new Request(`http://warden.test/api/v1/secrets/resolve${init.query ?? ""}`, {
    method: "POST",
    headers: {
      ...(key && { authorization: `Bearer ${key}` }),
      "content-type": init.contentType ?? "application/json",
      "x-warden-ip": `198.51.100.${Math.floor(Math.random() * 250) + 1}`,
      "x-request-id": `req-${randomUUID()}`,
    },
    body: init.raw ?? JSON.stringify(body),
  });

const resolve = (key: string, environment: string, names: string[]) => POST(request(key, { environment, names }));

describe("POST /api/v1/secrets/resolve", () => {
  it("answers the current value of each name, with Cache-Control: no-store and the rate-limit headers", async () => {
    const ws = await seedWorkspace(owner, "resolve");
    const openai = await secret(ws, "OPENAI_API_KEY", "sk-first");
    await secret(ws, "SLACK_WEBHOOK", "https://hooks.example.test/a\nline two");
    await secret(ws, "OPENAI_API_KEY", "sk-staging", "staging");
    await withWorkspace(ws.workspaceId, (tx) =>
      updateSecret(tx, {
        workspaceId: ws.workspaceId,
        input: { secretId: openai, revision: 1, value: "sk-second", description: "", rotationIntervalDays: undefined, expiresOn: undefined },
        actor: { type: "user", id: ws.ownerId, label: ws.ownerEmail },
        context: context(),
      }),
    );
    const { key } = await insertKey(ws, ws.ownerId);

    const response = await resolve(key, "production", ["OPENAI_API_KEY", "SLACK_WEBHOOK"]);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("ratelimit-limit")).toBe("300");
    expect(Number(response.headers.get("ratelimit-remaining"))).toBeLessThan(300);
    expect(await response.json()).toEqual({ values: { OPENAI_API_KEY: "sk-second", SLACK_WEBHOOK: "https://hooks.example.test/a\nline two" } });
    expect(await (await resolve(key, "staging", ["OPENAI_API_KEY"])).json()).toEqual({ values: { OPENAI_API_KEY: "sk-staging" } });
  });

  it("answers 404 secret_unavailable naming every unknown, deleted, destroyed and other-workspace name, with no value", async () => {
    const ws = await seedWorkspace(owner, "resolve-missing");
    const other = await seedWorkspace(owner, "resolve-other");
    await secret(ws, "PRESENT", "present-value");
    const deleted = await secret(ws, "DELETED", "deleted-value");
    const destroyed = await secret(ws, "DESTROYED", "destroyed-value");
    await secret(other, "THEIRS", "theirs-value");
    await owner.query(`UPDATE secrets SET deleted_at = now() WHERE id = $1`, [deleted]);
    await owner.query(`UPDATE secret_versions SET ciphertext = NULL, destroyed_at = now() WHERE secret_id = $1`, [destroyed]);
    const { key } = await insertKey(ws, ws.ownerId);

    const response = await resolve(key, "production", ["PRESENT", "UNKNOWN", "DELETED", "DESTROYED", "THEIRS"]);
    expect(response.status).toBe(404);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = await response.json();
    expect(body).toMatchObject({ error: { code: "not_found", reason: "secret_unavailable" } });
    expect(body.error.message).toContain("UNKNOWN, DELETED, DESTROYED, THEIRS");
    expect(body.error.message).not.toContain("PRESENT");
    expect(JSON.stringify(body)).not.toMatch(/-value/);

    // Another tenant's secret reads exactly like one that never existed.
    const theirs = await (await resolve(key, "production", ["THEIRS"])).json();
    const never = await (await resolve(key, "production", ["NEVER_EXISTED"])).json();
    expect(theirs.error.message.replace("THEIRS", "X")).toBe(never.error.message.replace("NEVER_EXISTED", "X"));
    expect({ ...theirs.error, message: "", request_id: "" }).toEqual({ ...never.error, message: "", request_id: "" });

    // An environment the workspace does not have: every name is unavailable.
    const unknownEnv = await (await resolve(key, "qa-eu", ["PRESENT"])).json();
    expect(unknownEnv).toMatchObject({ error: { reason: "secret_unavailable", message: expect.stringContaining("PRESENT") } });
    // Nothing unavailable was audited as accessed.
    const { rows } = await owner.query(`SELECT count(*)::int AS n FROM audit_events WHERE workspace_id = $1 AND action = 'secret.accessed'`, [ws.workspaceId]);
    expect(rows[0].n).toBe(0);
  });

  it("a developer's key held to staging cannot resolve production, and one held to names cannot resolve others", async () => {
    const ws = await seedWorkspace(owner, "resolve-scope");
    const developer = await seedMember(owner, ws.workspaceId, "developer");
    await secret(ws, "DB_URL", "prod-db", "production");
    await secret(ws, "DB_URL", "staging-db", "staging");
    await secret(ws, "OTHER", "staging-other", "staging");
    const staging = await createResolveKey(ws, developer.id, "developer", { environmentId: await environmentId(ws, "staging") });
    const named = await createResolveKey(ws, developer.id, "developer", { secretNames: ["DB_URL"] });

    expect(await (await resolve(staging.key, "staging", ["DB_URL", "OTHER"])).json()).toEqual({ values: { DB_URL: "staging-db", OTHER: "staging-other" } });
    const production = await resolve(staging.key, "production", ["DB_URL"]);
    expect(production.status).toBe(404);
    expect(await production.json()).toMatchObject({ error: { reason: "secret_unavailable", message: expect.stringContaining("DB_URL") } });

    expect(await (await resolve(named.key, "production", ["DB_URL"])).json()).toEqual({ values: { DB_URL: "prod-db" } });
    const others = await resolve(named.key, "staging", ["DB_URL", "OTHER"]);
    expect(others.status).toBe(404);
    const message: string = (await others.json()).error.message;
    expect(message).toContain("OTHER");
    expect(message).not.toContain("DB_URL");
  });

  it("a key without secrets:resolve gets 403, and so does one whose creator lost the role", async () => {
    const ws = await seedWorkspace(owner, "resolve-403");
    await secret(ws, "TOKEN_A", "value-a");
    const auditKey = await insertKey(ws, ws.ownerId, { scopes: ["audit:read"] });
    const scopeRefused = await resolve(auditKey.key, "production", ["TOKEN_A"]);
    expect(scopeRefused.status).toBe(403);
    expect(await scopeRefused.json()).toMatchObject({ error: { code: "forbidden", reason: "insufficient_scope" } });

    const developer = await seedMember(owner, ws.workspaceId, "developer");
    const { key } = await insertKey(ws, developer.id);
    expect((await resolve(key, "production", ["TOKEN_A"])).status).toBe(200);
    await owner.query(`UPDATE memberships SET role = 'editor' WHERE user_id = $1 AND workspace_id = $2`, [developer.id, ws.workspaceId]);
    const response = await resolve(key, "production", ["TOKEN_A"]);
    expect(response.status).toBe(403);
    const body = await response.json();
    expect(body).toMatchObject({ error: { reason: "creator_lacks_access" } });
    expect(JSON.stringify(body)).not.toContain("value-a");
  });

  it("audits each resolved name as secret.accessed by the key, with name, environment and version, and never the value", async () => {
    const ws = await seedWorkspace(owner, "resolve-audit");
    const marker = `marker-${randomUUID()}`;
    const a = await secret(ws, "ALPHA", `${marker}-alpha`);
    const b = await secret(ws, "BETA", `${marker}-beta`);
    const { key, id } = await insertKey(ws, ws.ownerId);
    expect((await resolve(key, "production", ["ALPHA", "BETA"])).status).toBe(200);

    const { rows } = await owner.query(
      `SELECT actor_type, actor_id::text AS actor_id, actor_label, target_type, target_id, metadata FROM audit_events
        WHERE workspace_id = $1 AND action = 'secret.accessed' ORDER BY seq`,
      [ws.workspaceId],
    );
    expect(rows).toEqual([
      {
        actor_type: "api_key",
        actor_id: id,
        actor_label: expect.stringContaining("agent runtime"),
        target_type: "secret",
        target_id: a,
        metadata: { name: "ALPHA", environment: "production", version: 1, previous_window_count: null },
      },
      {
        actor_type: "api_key",
        actor_id: id,
        actor_label: expect.stringContaining("agent runtime"),
        target_type: "secret",
        target_id: b,
        metadata: { name: "BETA", environment: "production", version: 1, previous_window_count: null },
      },
    ]);
    const dump = await owner.query(`SELECT string_agg(a::text, '') AS all FROM audit_events a WHERE workspace_id = $1`, [ws.workspaceId]);
    expect(dump.rows[0].all).toContain("ALPHA");
    expect(dump.rows[0].all).not.toContain(marker);
    const resolved = await owner.query(`SELECT last_resolved_by_key_id::text AS key, last_resolved_at FROM secrets WHERE id = ANY($1::uuid[])`, [[a, b]]);
    expect(resolved.rows.every((r) => r.key === id && r.last_resolved_at instanceof Date)).toBe(true);
  });

  it("fails, returning no value, when the audit write fails, and leaves nothing of the request behind", async () => {
    const ws = await seedWorkspace(owner, "resolve-audit-fail");
    const marker = `marker-${randomUUID()}`;
    const id = await secret(ws, "GUARDED", marker);
    const key = await insertKey(ws, ws.ownerId);
    audit.fail = true;
    let response: Response;
    try {
      response = await resolve(key.key, "production", ["GUARDED"]);
    } finally {
      audit.fail = false;
    }
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain(marker);
    expect(JSON.parse(text)).toMatchObject({ error: { code: "internal" } });
    // The whole transaction rolled back: neither the key's last use nor the secret's last resolution was written.
    expect((await owner.query(`SELECT last_used_at FROM api_keys WHERE id = $1`, [key.id])).rows[0].last_used_at).toBeNull();
    expect((await owner.query(`SELECT last_resolved_at FROM secrets WHERE id = $1`, [id])).rows[0].last_resolved_at).toBeNull();
  });

  it("writes the last resolution at most once a minute per secret and key, while concurrent resolves all succeed and are all counted", async () => {
    const ws = await seedWorkspace(owner, "resolve-parallel");
    const names = ["ONE", "TWO", "THREE", "FOUR", "FIVE"];
    const ids: string[] = [];
    for (const name of names) ids.push(await secret(ws, name, `${name.toLowerCase()}-value`));
    const first = await insertKey(ws, ws.ownerId);
    const second = await insertKey(ws, ws.ownerId);
    // Opposite name orders, two keys, all at once: no deadlock, no lost access:
    // one event per key and name (its window's opening), every access counted.
    const responses = await Promise.all(Array.from({ length: 12 }, (_, i) => resolve(i % 2 ? first.key : second.key, "production", i % 3 ? names : [...names].reverse())));
    expect(responses.map((r) => r.status)).toEqual(Array(12).fill(200));
    const { rows } = await owner.query(`SELECT count(*)::int AS n FROM audit_events WHERE workspace_id = $1 AND action = 'secret.accessed'`, [ws.workspaceId]);
    expect(rows[0].n).toBe(2 * names.length);
    const counted = await owner.query(`SELECT sum(count)::int AS n FROM secret_access_windows WHERE workspace_id = $1`, [ws.workspaceId]);
    expect(counted.rows[0].n).toBe(12 * names.length);

    // Within the minute, another resolve by the key that wrote it last leaves the row as it is.
    const before = await owner.query(`SELECT id::text, last_resolved_at, last_resolved_by_key_id::text AS key FROM secrets WHERE id = ANY($1::uuid[]) ORDER BY id`, [ids]);
    expect(before.rows.every((r) => r.last_resolved_at instanceof Date)).toBe(true);
    const lastKey = before.rows[0].key as string;
    const again = lastKey === first.id ? first.key : second.key;
    await owner.query(`UPDATE secrets SET last_resolved_by_key_id = $1 WHERE id = ANY($2::uuid[])`, [lastKey, ids]);
    const pinned = await owner.query(`SELECT id::text, last_resolved_at FROM secrets WHERE id = ANY($1::uuid[]) ORDER BY id`, [ids]);
    expect((await resolve(again, "production", names)).status).toBe(200);
    const after = await owner.query(`SELECT id::text, last_resolved_at FROM secrets WHERE id = ANY($1::uuid[]) ORDER BY id`, [ids]);
    expect(after.rows).toEqual(pinned.rows);
    // Older than a minute: the next resolve writes it again.
    await owner.query(`UPDATE secrets SET last_resolved_at = now() - interval '2 minutes' WHERE id = ANY($1::uuid[])`, [ids]);
    expect((await resolve(again, "production", names)).status).toBe(200);
    const fresh = await owner.query(`SELECT count(*)::int AS n FROM secrets WHERE id = ANY($1::uuid[]) AND last_resolved_at > now() - interval '1 minute'`, [ids]);
    expect(fresh.rows[0].n).toBe(names.length);
  });
});

describe("POST /api/v1/secrets/resolve bodies", () => {
  const long = "A".repeat(129);
  it.each([
    ["a form body", { raw: "environment=production&names=A", contentType: "application/x-www-form-urlencoded" }, 415, "unsupported_media_type"],
    ["text/plain", { raw: JSON.stringify({ environment: "production", names: ["A"] }), contentType: "text/plain" }, 415, "unsupported_media_type"],
    ["a charset other than UTF-8", { raw: JSON.stringify({ environment: "production", names: ["A"] }), contentType: "application/json; charset=latin1" }, 415, "unsupported_media_type"],
    ["a body over 64 KiB", { raw: JSON.stringify({ environment: "production", names: ["A"], pad: "x".repeat(SMALL_JSON_BODY_MAX_BYTES) }) }, 413, "payload_too_large"],
    ["malformed JSON", { raw: '{"environment": "production", "names": [' }, 400, "malformed_json"],
    ["an empty body", { raw: "" }, 400, "malformed_json"],
    ["bytes that are not UTF-8", { raw: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]) }, 400, "malformed_json"],
    ["a JSON array", { raw: "[]" }, 400, "invalid_body"],
    ["no names", { body: { environment: "production", names: [] } }, 400, "invalid_body"],
    ["names missing", { body: { environment: "production" } }, 400, "invalid_body"],
    ["a repeated name", { body: { environment: "production", names: ["A", "A"] } }, 400, "invalid_body"],
    ["a name with NUL", { body: { environment: "production", names: ["A\u0000B"] } }, 400, "invalid_body"],
    ["a lowercase name", { body: { environment: "production", names: ["openai_key"] } }, 400, "invalid_body"],
    ["a name starting with a digit", { body: { environment: "production", names: ["1KEY"] } }, 400, "invalid_body"],
    ["a name too long", { body: { environment: "production", names: [long] } }, 400, "invalid_body"],
    ["a name that is not a string", { body: { environment: "production", names: [42] } }, 400, "invalid_body"],
    ["101 names", { body: { environment: "production", names: Array.from({ length: 101 }, (_, i) => `N${i}`) } }, 400, "invalid_body"],
    ["a bad environment", { body: { environment: "Prod'uction", names: ["A"] } }, 400, "invalid_body"],
    ["an environment with NUL", { body: { environment: "prod\u0000", names: ["A"] } }, 400, "invalid_body"],
    ["an unknown field", { body: { environment: "production", names: ["A"], version: 2 } }, 400, "invalid_body"],
    ["a query parameter", { body: { environment: "production", names: ["A"] }, query: "?environment=staging" }, 400, "invalid_parameter"],
  ] as const)("%s gets %i (%s), never a 500", async (_label, init, status, reason) => {
    const ws = await seedWorkspace(owner, "resolve-bodies");
    const { key } = await insertKey(ws, ws.ownerId);
    const response = await POST(request(key, "body" in init ? init.body : undefined, init as { raw?: BodyInit; contentType?: string; query?: string }));
    expect(response.status).toBe(status);
    expect(response.headers.get("ratelimit-limit")).toBe("300");
    const body = await response.json();
    expect(body).toMatchObject({ error: { reason } });
    expect(body.error.message).not.toMatch(/\u0000/);
  });

  it("names the refused field by its path", async () => {
    const ws = await seedWorkspace(owner, "resolve-field");
    const { key } = await insertKey(ws, ws.ownerId);
    const body = await (await POST(request(key, { environment: "production", names: ["GOOD", "bad"] }))).json();
    expect(body).toMatchObject({ error: { code: "invalid_input", reason: "invalid_body", parameter: "names.1" } });
    expect(body.error.message).toContain("names.1");
  });

  it("answers in the same order whatever the body: an unknown key's malformed, oversized or form body is a 401, a known key's a 4xx naming it", async () => {
    const ws = await seedWorkspace(owner, "resolve-order");
    const { key } = await insertKey(ws, ws.ownerId);
    const unknown = `wdn_live_${"A".repeat(key.length - "wdn_live_".length)}`;
    const bodies = [
      { raw: '{"environment": "production", "names": [' },
      { raw: JSON.stringify({ environment: "production", names: ["A"], pad: "x".repeat(SMALL_JSON_BODY_MAX_BYTES) }) },
      { raw: "environment=production", contentType: "application/x-www-form-urlencoded" },
    ];
    for (const init of bodies) {
      const refused = await POST(request(unknown, undefined, init));
      expect(refused.status).toBe(401);
      expect(await refused.json()).toMatchObject({ error: { reason: "api_key_unknown" } });
    }
    expect((await Promise.all(bodies.map((init) => POST(request(key, undefined, init))))).map((r) => r.status)).toEqual([400, 413, 415]);
  });

  it("refuses a missing key with 401 before reading the body", async () => {
    const response = await POST(request(undefined, { environment: "production", names: ["A"] }));
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { reason: "api_key_missing" } });
  });
});

describe("creating a secrets:resolve key", () => {
  it("holds it to the chosen environment and names, shown in the keys list and in the api_key.created event", async () => {
    const ws = await seedWorkspace(owner, "resolve-create");
    const developer = await seedMember(owner, ws.workspaceId, "developer");
    const created = await createResolveKey(ws, developer.id, "developer", { environmentId: await environmentId(ws, "staging"), secretNames: ["DB_URL", "OPENAI_API_KEY", "DB_URL"] });
    const { rows } = await owner.query(`SELECT e.name AS environment, k.secret_names FROM api_keys k JOIN environments e ON e.id = k.environment_id WHERE k.id = $1`, [created.id]);
    expect(rows).toEqual([{ environment: "staging", secret_names: ["DB_URL", "OPENAI_API_KEY"] }]);
    const listed = await withWorkspace(ws.workspaceId, (tx) => listApiKeys(tx, ws.workspaceId));
    expect(listed[0]).toMatchObject({ scopes: ["secrets:resolve"], environment: "staging", secretNames: ["DB_URL", "OPENAI_API_KEY"], status: "active" });
    const event = await owner.query(`SELECT metadata FROM audit_events WHERE workspace_id = $1 AND action = 'api_key.created'`, [ws.workspaceId]);
    expect(event.rows[0].metadata).toMatchObject({ scopes: ["secrets:resolve"], environment: "staging", names: ["DB_URL", "OPENAI_API_KEY"] });

    const open = await createResolveKey(ws, developer.id, "developer");
    const openRow = (await withWorkspace(ws.workspaceId, (tx) => listApiKeys(tx, ws.workspaceId))).find((k) => k.id === open.id);
    expect(openRow).toMatchObject({ environment: null, secretNames: [] });
  });

  it("refuses another workspace's environment with a field error, and restrictions on a key without secrets:resolve", async () => {
    const ws = await seedWorkspace(owner, "resolve-create-refused");
    const other = await seedWorkspace(owner, "resolve-create-other");
    await expect(createResolveKey(ws, ws.ownerId, "owner", { environmentId: await environmentId(other, "production") })).rejects.toMatchObject({
      code: "invalid_input",
      fieldErrors: { environmentId: [expect.stringContaining("this workspace's environments")] },
    });
    await expect(createResolveKey(ws, ws.ownerId, "owner", { scopes: ["audit:read"], secretNames: ["A"] })).rejects.toMatchObject({
      code: "invalid_input",
      fieldErrors: { secretNames: [expect.stringContaining("secrets:resolve")] },
    });
    await expect(createResolveKey(ws, ws.ownerId, "owner", { scopes: ["audit:read"], environmentId: await environmentId(ws, "production") })).rejects.toMatchObject({
      fieldErrors: { environmentId: [expect.stringContaining("secrets:resolve")] },
    });
    const { rows } = await owner.query(`SELECT count(*)::int AS n FROM api_keys WHERE workspace_id = $1`, [ws.workspaceId]);
    expect(rows[0].n).toBe(0);
  });

  it("through the form: names split on commas and new lines, a bad name or more than 100 answered on the field", async () => {
    const ws = await seedWorkspace(owner, "resolve-form");
    const developer = await seedMember(owner, ws.workspaceId, "developer");
    const { createApiKey: action } = await import("../../lib/actions/api-keys/create-api-key");
    const submit = (fields: Record<string, string | string[]>) => {
      const form = new FormData();
      form.set("workspace", ws.slug);
      for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) form.append(name, v);
      return action({ status: "idle" }, form) as Promise<ActionState<{ id: string }>>;
    };
    await signInAs(owner, developer.id);
    const staging = await environmentId(ws, "staging");
    const ok = await submit({ name: "runtime", scopes: "secrets:resolve", expiry: "30", environmentId: staging, secretNames: "DB_URL, OPENAI_API_KEY\r\nSLACK_TOKEN\n" });
    expect(ok.status, JSON.stringify(ok)).toBe("ok");
    if (ok.status !== "ok") return;
    const { rows } = await owner.query(`SELECT environment_id::text AS environment_id, secret_names FROM api_keys WHERE id = $1`, [ok.data.id]);
    expect(rows[0]).toEqual({ environment_id: staging, secret_names: ["DB_URL", "OPENAI_API_KEY", "SLACK_TOKEN"] });

    const fieldErrors = (state: ActionState<unknown>) => (state.status === "error" ? state.fieldErrors : undefined);
    expect(fieldErrors(await submit({ name: "k", scopes: "secrets:resolve", secretNames: "GOOD, lower_case" }))).toEqual({
      secretNames: [expect.stringContaining("“lower_case” is not a secret name")],
    });
    const many = Array.from({ length: 101 }, (_, i) => `NAME_${i}`).join("\n");
    expect(fieldErrors(await submit({ name: "k", scopes: "secrets:resolve", secretNames: many }))).toEqual({ secretNames: ["List at most 100 names"] });
    expect(fieldErrors(await submit({ name: "k", scopes: "secrets:resolve", environmentId: "not-an-id" }))).toEqual({ environmentId: ["Choose one of this workspace's environments"] });
    expect(fieldErrors(await submit({ name: "k", scopes: "secrets:resolve", secretNames: ["A", "B"] }))).toHaveProperty("secretNames");
    const count = await owner.query(`SELECT count(*)::int AS n FROM api_keys WHERE workspace_id = $1 AND name = 'k'`, [ws.workspaceId]);
    expect(count.rows[0].n).toBe(0);
  });
});
