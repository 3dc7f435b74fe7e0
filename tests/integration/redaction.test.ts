import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { randomUUID } from "node:crypto";
import pino from "pino";
import type pg from "pg";
import { ownerClient, seedWorkspace } from "../support/owner-db";
import { signInAs } from "../support/request-stub";
import { createApiKey as createApiKeyAction } from "../../lib/actions/api-keys/create-api-key";
import { jsonRequest, seedAgent, seedRuntimeKey } from "../support/seed-agents";
import { apiRoute } from "../../lib/api/api-route";
import { API_V1 } from "../../lib/api/v1-routes";
import { log } from "../../lib/log";
import { POST as redact } from "../../app/api/v1/redact/route";
import { POST as ingestUsage } from "../../app/api/v1/usage/events/route";
import { POST as recordPlatformAudit } from "../../app/api/v1/audit/events/route";

// PII redaction under the workspace's policy and a key's override: what the
// runtime asks /api/v1/redact to scrub, what it reports as usage and as audit
// events (stored redacted), and what the server logs while serving it.

vi.mock("next/headers", async () => (await import("../support/request-stub")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

let owner: pg.Client;
beforeAll(async () => {
  owner = await ownerClient();
});
afterAll(() => owner.end());

const SAMPLE = "Mail jane.doe@example.com, SSN 123-45-6789, call (555) 123-4567, card 4111 1111 1111 1111.";

async function setup(workspaceKinds: string[], scopes = ["runtime:usage", "audit:write"]) {
  const ws = await seedWorkspace(owner, "redaction");
  await owner.query(`UPDATE workspaces SET pii_redaction = $2 WHERE id = $1`, [ws.workspaceId, workspaceKinds]);
  const agent = await seedAgent(owner, ws.workspaceId);
  const { key, id } = await seedRuntimeKey(owner, ws.workspaceId, ws.ownerId, scopes);
  return { ws, agent, key, keyId: id };
}

const overrideKey = (keyId: string, kinds: string[]) => owner.query(`UPDATE api_keys SET pii_redaction_override = true, pii_redaction = $2 WHERE id = $1`, [keyId, kinds]);

const postRedact = (key: string, text: string) => redact(jsonRequest("http://warden.test/api/v1/redact", key, { text }));

describe("POST /api/v1/redact", () => {
  it("redacts the kinds the workspace's policy names, and counts them", async () => {
    const { key } = await setup(["email", "card"]);
    const response = await postRedact(key, SAMPLE);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      text: "Mail [REDACTED:email], SSN 123-45-6789, call (555) 123-4567, card [REDACTED:card].",
      redacted: { email: 1, ssn: 0, phone: 0, card: 1 },
      kinds: ["email", "card"],
    });
  });

  it("with the workspace's policy off, the text comes back as sent", async () => {
    const { key } = await setup([]);
    expect(await (await postRedact(key, SAMPLE)).json()).toEqual({ text: SAMPLE, redacted: { email: 0, ssn: 0, phone: 0, card: 0 }, kinds: [] });
  });

  it("a key's override tightens the workspace's policy", async () => {
    const { key, keyId } = await setup(["email"]);
    await overrideKey(keyId, ["email", "ssn", "phone", "card"]);
    const body = await (await postRedact(key, SAMPLE)).json();
    expect(body.text).toBe("Mail [REDACTED:email], SSN [REDACTED:ssn], call [REDACTED:phone], card [REDACTED:card].");
    expect(body.kinds).toEqual(["email", "ssn", "phone", "card"]);
  });

  it("a key's override loosens it, down to nothing", async () => {
    const { key, keyId } = await setup(["email", "ssn", "phone", "card"]);
    await overrideKey(keyId, ["ssn"]);
    expect((await (await postRedact(key, SAMPLE)).json()).text).toBe("Mail jane.doe@example.com, SSN [REDACTED:ssn], call (555) 123-4567, card 4111 1111 1111 1111.");
    await overrideKey(keyId, []);
    expect((await (await postRedact(key, SAMPLE)).json()).text).toBe(SAMPLE);
  });

  it("another key of the same workspace without an override still follows the workspace", async () => {
    const { ws, keyId } = await setup(["email"]);
    await overrideKey(keyId, []);
    const { key: other } = await seedRuntimeKey(owner, ws.workspaceId, ws.ownerId, ["runtime:usage"]);
    expect((await (await postRedact(other, SAMPLE)).json()).redacted.email).toBe(1);
  });

  it("a body over 1 MB is a 413", async () => {
    const { key } = await setup(["email"]);
    const response = await postRedact(key, "a".repeat(1_048_577));
    expect(response.status).toBe(413);
    expect((await response.json()).error).toMatchObject({ reason: "payload_too_large" });
  });

  it("a text just under 1 MB is redacted whole", async () => {
    const { key } = await setup(["email"]);
    const line = "to jane@example.com 中文😀\n";
    const text = line.repeat(Math.floor(1_000_000 / Buffer.byteLength(line)));
    const body = await (await postRedact(key, text)).json();
    expect(body.redacted.email).toBe(text.split("\n").length - 1);
    expect(body.text).not.toContain("@");
  });

  it("a key without runtime:usage is refused", async () => {
    const { key } = await setup(["email"], ["audit:write"]);
    const response = await postRedact(key, SAMPLE);
    expect(response.status).toBe(403);
    expect((await response.json()).error).toMatchObject({ reason: "insufficient_scope" });
  });
});

describe("what the runtime sends is stored redacted", () => {
  const now = () => new Date().toISOString();
  const usageEvents = (agent: string) => [
    { id: `evt-${randomUUID()}`, type: "conversation.started", agent, occurred_at: now(), conversation_id: "conv:jane@example.com" },
    { id: `evt-${randomUUID()}`, type: "tool.invoked", agent, occurred_at: now(), conversation_id: "conv:jane@example.com", tool: "sms:+14155552671" },
  ];
  const storedUsage = async (workspaceId: string) => (await owner.query(`SELECT type, conversation_id, tool FROM usage_events WHERE workspace_id = $1 ORDER BY type`, [workspaceId])).rows;

  it("usage events: conversation ids and tool names under the workspace's policy", async () => {
    const { ws, agent, key } = await setup(["email", "phone"]);
    const response = await ingestUsage(jsonRequest("http://warden.test/api/v1/usage/events", key, { events: usageEvents(agent) }));
    expect(response.status).toBe(200);
    expect(await storedUsage(ws.workspaceId)).toEqual([
      { type: "conversation.started", conversation_id: "conv:[REDACTED:email]", tool: null },
      { type: "tool.invoked", conversation_id: "conv:[REDACTED:email]", tool: "sms:[REDACTED:phone]" },
    ]);
  });

  it("usage events: stored as sent with the policy off", async () => {
    const { ws, agent, key } = await setup([]);
    expect((await ingestUsage(jsonRequest("http://warden.test/api/v1/usage/events", key, { events: usageEvents(agent) }))).status).toBe(200);
    expect(await storedUsage(ws.workspaceId)).toEqual([
      { type: "conversation.started", conversation_id: "conv:jane@example.com", tool: null },
      { type: "tool.invoked", conversation_id: "conv:jane@example.com", tool: "sms:+14155552671" },
    ]);
  });

  const auditMetadata = async (workspaceId: string) =>
    (await owner.query(`SELECT metadata FROM audit_events WHERE workspace_id = $1 AND action LIKE 'platform.%' ORDER BY seq`, [workspaceId])).rows.map((r) => r.metadata);

  it("runtime audit events: metadata strings under the key's override, numbers and the agent untouched", async () => {
    const { ws, agent, key, keyId } = await setup([]);
    await overrideKey(keyId, ["email", "card"]);
    const response = await recordPlatformAudit(
      jsonRequest("http://warden.test/api/v1/audit/events", key, {
        events: [{ action: "platform.agent_updated", agent, metadata: { note: "owner jane@example.com paid 4111-1111-1111-1111", version: 7, ssn: "123-45-6789" } }],
      }),
    );
    expect(response.status).toBe(200);
    const [metadata] = await auditMetadata(ws.workspaceId);
    expect(metadata).toMatchObject({ note: "owner [REDACTED:email] paid [REDACTED:card]", version: 7, ssn: "123-45-6789", agent_id: agent });
  });

  it("runtime audit events: stored as sent with the policy off", async () => {
    const { ws, key } = await setup([]);
    await recordPlatformAudit(jsonRequest("http://warden.test/api/v1/audit/events", key, { events: [{ action: "platform.agent_updated", metadata: { note: "owner jane@example.com" } }] }));
    expect((await auditMetadata(ws.workspaceId))[0]).toEqual({ note: "owner jane@example.com" });
  });
});

describe("the server's request logs", () => {
  // A handler that fails with the address in its error, as a database error quoting a value would.
  const failing = apiRoute(API_V1.redactText, async () => {
    throw new Error("lookup failed for jane.doe@example.com at (555) 123-4567");
  });

  async function loggedLines(send: () => Promise<Response>) {
    const stream = (log as unknown as Record<symbol, { write: (line: string) => unknown }>)[pino.symbols.streamSym];
    const lines: string[] = [];
    const level = log.level;
    log.level = "info";
    const write = vi.spyOn(stream, "write").mockImplementation((line: string) => {
      lines.push(line);
      return true;
    });
    try {
      expect((await send()).status).toBe(500);
    } finally {
      write.mockRestore();
      log.level = level;
    }
    return lines.filter((line) => line.includes("api request failed"));
  }

  it("an error line logged while serving a request does not contain a redacted e-mail", async () => {
    const { key } = await setup(["email"]);
    const [line] = await loggedLines(() => failing(jsonRequest("http://warden.test/api/v1/redact", key, { text: "x" })));
    expect(line).toBeDefined();
    expect(line).toContain("lookup failed for [REDACTED:email] at (555) 123-4567");
    expect(line).not.toContain("jane.doe@example.com");
  });

  it("with the policy off, the same line is logged as it was", async () => {
    const { key } = await setup([]);
    const [line] = await loggedLines(() => failing(jsonRequest("http://warden.test/api/v1/redact", key, { text: "x" })));
    expect(line).toContain("jane.doe@example.com");
  });

  it("outside a request, nothing is redacted", () => {
    const stream = (log as unknown as Record<symbol, { write: (line: string) => unknown }>)[pino.symbols.streamSym];
    const lines: string[] = [];
    const level = log.level;
    log.level = "info";
    const write = vi.spyOn(stream, "write").mockImplementation((line: string) => (lines.push(line), true));
    log.info({ to: "ops@example.com" }, "maintenance note");
    write.mockRestore();
    log.level = level;
    expect(lines.join("")).toContain("ops@example.com");
  });
});

describe("a key's own redaction, from the key form", () => {
  const submit = (slug: string, fields: Record<string, string | string[]>) => {
    const form = new FormData();
    form.set("workspace", slug);
    form.set("name", "runtime");
    form.set("scopes", "runtime:usage");
    for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) form.append(name, v);
    return createApiKeyAction({ status: "idle" }, form);
  };
  const keyRow = async (id: string) => (await owner.query(`SELECT pii_redaction_override, pii_redaction FROM api_keys WHERE id = $1`, [id])).rows[0];
  const createdMetadata = async (id: string) => (await owner.query(`SELECT metadata FROM audit_events WHERE action = 'api_key.created' AND target_id = $1`, [id])).rows[0].metadata;

  it("this key's own kinds replace the workspace's, and the key's creation is audited with them", async () => {
    const { ws } = await setup(["email"]);
    await signInAs(owner, ws.ownerId);
    const state = await submit(ws.slug, { piiRedaction: "key", piiKinds: ["ssn", "card", "ssn"] });
    expect(state.status, JSON.stringify(state)).toBe("ok");
    if (state.status !== "ok") return;
    expect(await keyRow(state.data.id)).toEqual({ pii_redaction_override: true, pii_redaction: ["ssn", "card"] });
    expect(await createdMetadata(state.data.id)).toMatchObject({ pii_redaction: ["ssn", "card"] });
    const body = await (await postRedact(state.data.key, SAMPLE)).json();
    expect(body.text).toBe("Mail jane.doe@example.com, SSN [REDACTED:ssn], call (555) 123-4567, card [REDACTED:card].");
  });

  it("this key's own with nothing ticked: no redaction for this key", async () => {
    const { ws } = await setup(["email", "ssn", "phone", "card"]);
    await signInAs(owner, ws.ownerId);
    const state = await submit(ws.slug, { piiRedaction: "key" });
    if (state.status !== "ok") throw new Error(JSON.stringify(state));
    expect(await keyRow(state.data.id)).toEqual({ pii_redaction_override: true, pii_redaction: [] });
    expect(await createdMetadata(state.data.id)).toMatchObject({ pii_redaction: [] });
    expect((await (await postRedact(state.data.key, SAMPLE)).json()).text).toBe(SAMPLE);
  });

  it("following the workspace (the default) stores no override, whatever was ticked, and the audit names none", async () => {
    const { ws } = await setup(["email"]);
    await signInAs(owner, ws.ownerId);
    const state = await submit(ws.slug, { piiKinds: "ssn" });
    if (state.status !== "ok") throw new Error(JSON.stringify(state));
    expect(await keyRow(state.data.id)).toEqual({ pii_redaction_override: false, pii_redaction: [] });
    expect(await createdMetadata(state.data.id)).not.toHaveProperty("pii_redaction");
    expect((await (await postRedact(state.data.key, SAMPLE)).json()).redacted).toEqual({ email: 1, ssn: 0, phone: 0, card: 0 });
  });

  it("an unknown kind is a field error and no key is made", async () => {
    const { ws } = await setup([]);
    await signInAs(owner, ws.ownerId);
    const state = await submit(ws.slug, { piiRedaction: "key", piiKinds: ["email", "passport"] });
    expect(state.status === "error" && state.fieldErrors).toEqual({ piiKinds: ["Unknown kind of personal data"] });
    expect((await owner.query(`SELECT count(*)::int AS n FROM api_keys WHERE workspace_id = $1 AND name = 'runtime'`, [ws.workspaceId])).rows[0].n).toBe(0);
  });
});
