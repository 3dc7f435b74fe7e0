import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { ownerClient, seedWorkspace } from "../support/owner-db";
import { jsonRequest, seedAgent, seedRuntimeKey } from "../support/seed-agents";
import { verifyAuditChain } from "../../lib/audit/verify-audit-chain";
import { POST } from "../../app/api/v1/audit/events/route";

vi.mock("next/headers", async () => (await import("../support/request-stub")).nextHeaders);

let owner: pg.Client;
beforeAll(async () => {
  owner = await ownerClient();
});
afterAll(() => owner.end());

const post = (key: string, events: unknown[]) => POST(jsonRequest("http://warden.test/api/v1/audit/events", key, { events }));

async function setup() {
  const ws = await seedWorkspace(owner, "platform-audit");
  const agent = await seedAgent(owner, ws.workspaceId, { name: "support bot" });
  const { key, id } = await seedRuntimeKey(owner, ws.workspaceId, ws.ownerId, ["audit:write"]);
  return { ws, agent, key, keyId: id };
}

const platformEvents = async (workspaceId: string) =>
  (await owner.query(`SELECT action, actor_type, actor_id::text, metadata FROM audit_events WHERE workspace_id = $1 AND action LIKE 'platform.%' ORDER BY seq`, [workspaceId])).rows;

describe("POST /api/v1/audit/events", () => {
  it("appends the runtime's changes to the chain in order, the key as actor and the agent in the metadata, credentials redacted", async () => {
    const { ws, agent, key, keyId } = await setup();
    const response = await post(key, [
      { action: "platform.deployment_created", agent, metadata: { version: "v42", environment: "production", deploy_token: "tok-abc" } },
      { action: "platform.workflow_published", metadata: { name: "refunds" } },
      { action: "platform.channel_changed", agent },
    ]);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ recorded: 3 });
    const rows = await platformEvents(ws.workspaceId);
    expect(rows.map((r) => r.action)).toEqual(["platform.deployment_created", "platform.workflow_published", "platform.channel_changed"]);
    expect(rows.every((r) => r.actor_type === "api_key" && r.actor_id === keyId)).toBe(true);
    expect(rows[0].metadata).toEqual({ version: "v42", environment: "production", deploy_token: "[redacted]", agent_id: agent, agent_name: "support bot" });
    expect(rows[1].metadata).toEqual({ name: "refunds" });
    expect(JSON.stringify(rows)).not.toContain("tok-abc");
    expect(await verifyAuditChain({ workspaceId: ws.workspaceId })).toMatchObject({ status: "verified" });
  });

  it("a key bound to agent A records for A by default and cannot record for agent B", async () => {
    const { ws, agent } = await setup();
    const other = await seedAgent(owner, ws.workspaceId);
    const { key } = await seedRuntimeKey(owner, ws.workspaceId, ws.ownerId, ["audit:write"], agent);
    const refused = await post(key, [{ action: "platform.agent_updated", agent: other }]);
    expect(refused.status).toBe(403);
    expect((await refused.json()).error).toMatchObject({ reason: "agent_not_allowed", message: expect.stringContaining(other) });
    expect(await (await post(key, [{ action: "platform.agent_updated" }])).json()).toEqual({ recorded: 1 });
    const rows = await platformEvents(ws.workspaceId);
    expect(rows).toHaveLength(1);
    expect(rows[0].metadata).toMatchObject({ agent_id: agent });
  });

  it("an agent the workspace does not have is a 404 naming it, and nothing is recorded", async () => {
    const { ws, agent, key } = await setup();
    const unknown = randomUUID();
    const refused = await post(key, [
      { action: "platform.agent_updated", agent },
      { action: "platform.agent_updated", agent: unknown },
    ]);
    expect(refused.status).toBe(404);
    expect((await refused.json()).error).toMatchObject({ reason: "agent_not_found", message: expect.stringContaining(unknown) });
    expect(await platformEvents(ws.workspaceId)).toEqual([]);
  });

  it.each([
    ["a console action", [{ action: "member.removed" }], "events.0.action"],
    ["nested metadata", [{ action: "platform.agent_updated", metadata: { details: { token: "x" } } }], "events.0.metadata.details"],
    [
      "metadata over the size limit",
      [{ action: "platform.agent_updated", metadata: { note: "x".repeat(500), more: "y".repeat(500), again: "z".repeat(500), last: "w".repeat(500), end: "v".repeat(300) } }],
      "events.0.metadata",
    ],
    ["an agent named in the metadata", [{ action: "platform.agent_updated", metadata: { agent_id: "forged" } }], "events.0.metadata.agent_id"],
    ["101 events", Array.from({ length: 101 }, () => ({ action: "platform.agent_updated" })), "events"],
    ["an unknown field", [{ action: "platform.agent_updated", actor: "someone else" }], "actor"],
  ])("%s is a 400 naming the field", async (_name, events, parameter) => {
    const { ws, key } = await setup();
    const response = await post(key, events);
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatchObject({ reason: "invalid_body", parameter });
    expect(await platformEvents(ws.workspaceId)).toEqual([]);
  });

  it("a key without audit:write is refused", async () => {
    const { ws } = await setup();
    const { key } = await seedRuntimeKey(owner, ws.workspaceId, ws.ownerId, ["runtime:usage"]);
    const response = await post(key, [{ action: "platform.agent_updated" }]);
    expect(response.status).toBe(403);
  });
});
