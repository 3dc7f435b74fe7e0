import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { ownerClient, seedMember, seedWorkspace } from "../support/owner-db";
import { seedAgent, seedRuntimeKey } from "../support/seed-agents";
import { GET } from "../../app/api/v1/workspaces/usage/route";

vi.mock("next/headers", async () => (await import("../support/request-stub")).nextHeaders);

let owner: pg.Client;
beforeAll(async () => {
  owner = await ownerClient();
});
afterAll(() => owner.end());

const get = (key: string, query: string) =>
  GET(
    new Request(`http://warden.test/api/v1/workspaces/usage${query}`, {
      headers: { authorization: `Bearer ${key}`, "x-warden-ip": `198.51.100.${Math.floor(Math.random() * 250) + 1}`, "x-request-id": `req-${randomUUID()}` },
    }),
  );

async function rollup(workspaceId: string, agentId: string, day: string, values: { conversations?: number; turns?: number; input?: number; output?: number; cost?: number }) {
  await owner.query(
    `INSERT INTO usage_daily (workspace_id, agent_id, day, conversations, turns, llm_calls, input_tokens, output_tokens, cost_micros)
     VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $8)`,
    [workspaceId, agentId, day, values.conversations ?? 0, values.turns ?? 0, values.input ?? 0, values.output ?? 0, values.cost ?? 0],
  );
}

async function conversationStarted(workspaceId: string, agentId: string, daysAgo: number) {
  await owner.query(`INSERT INTO usage_events (workspace_id, id, agent_id, type, occurred_at, day) VALUES ($1, $2, $3, 'conversation.started', now() - make_interval(days => $4), current_date)`, [
    workspaceId,
    randomUUID(),
    agentId,
    daysAgo,
  ]);
}

describe("GET /api/v1/workspaces/usage", () => {
  it("answers turns, tokens and cost per agent and per day in the window, money as decimal strings, and the rolling 30-day conversations", async () => {
    const ws = await seedWorkspace(owner, "usage-api");
    const a = await seedAgent(owner, ws.workspaceId, { name: "alpha" });
    const b = await seedAgent(owner, ws.workspaceId, { name: "beta" });
    await rollup(ws.workspaceId, a, "2026-03-01", { conversations: 2, turns: 5, input: 100, output: 40, cost: 12_500_000 });
    await rollup(ws.workspaceId, a, "2026-03-02", { turns: 1, cost: 125 });
    await rollup(ws.workspaceId, b, "2026-03-02", { turns: 3, input: 7, output: 9, cost: 3_000_000 });
    await rollup(ws.workspaceId, b, "2026-04-01", { turns: 99 });
    await conversationStarted(ws.workspaceId, a, 1);
    await conversationStarted(ws.workspaceId, b, 29);
    await conversationStarted(ws.workspaceId, b, 31);
    const other = await seedWorkspace(owner, "usage-api-other");
    await conversationStarted(other.workspaceId, await seedAgent(owner, other.workspaceId), 1);
    const viewer = await seedMember(owner, ws.workspaceId, "viewer");
    const { key } = await seedRuntimeKey(owner, ws.workspaceId, viewer.id, ["usage:read"]);

    const response = await get(key, "?from=2026-03-01&to=2026-03-31&tz=Europe/Paris");
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ from: "2026-03-01", to: "2026-03-31", time_zone: "Europe/Paris", conversations_30d: 2 });
    expect(body.agents).toEqual([
      { agent_id: a, name: "alpha", conversations: 2, turns: 6, llm_calls: 2, input_tokens: 100, output_tokens: 40, tool_invocations: 0, cost: "12.500125" },
      { agent_id: b, name: "beta", conversations: 0, turns: 3, llm_calls: 1, input_tokens: 7, output_tokens: 9, tool_invocations: 0, cost: "3.00" },
    ]);
    expect(body.days.map((d: { day: string; agent_id: string; cost: string }) => [d.day, d.agent_id, d.cost])).toEqual(
      [
        ["2026-03-01", a, "12.50"],
        ["2026-03-02", a, "0.000125"],
        ["2026-03-02", b, "3.00"],
      ].sort((x, y) => (x[0] + x[1]).localeCompare(y[0] + y[1])),
    );
  });

  it("defaults to the 30 days up to today in the zone asked", async () => {
    const ws = await seedWorkspace(owner, "usage-default");
    const { key } = await seedRuntimeKey(owner, ws.workspaceId, ws.ownerId, ["usage:read"]);
    const body = await (await get(key, "?tz=Pacific/Kiritimati")).json();
    const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Pacific/Kiritimati" }).format(new Date());
    expect(body.to).toBe(today);
    expect((Date.parse(body.to) - Date.parse(body.from)) / 86_400_000).toBe(29);
    expect(body).toMatchObject({ conversations_30d: 0, agents: [], days: [] });
  });

  it.each([
    ["?from=2026-03-02&to=2026-03-01", "from"],
    ["?from=2025-01-01&to=2026-03-01", "to"],
    ["?from=0001-01-01&to=0001-01-02", "from"],
    ["?tz=Mars/Olympus", "tz"],
    ["?tz=UTC&tz=UTC", "tz"],
    ["?workspace=other", "workspace"],
  ])("%s is a 400 naming %s", async (query, parameter) => {
    const ws = await seedWorkspace(owner, "usage-bad");
    const { key } = await seedRuntimeKey(owner, ws.workspaceId, ws.ownerId, ["usage:read"]);
    const response = await get(key, query);
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatchObject({ parameter });
  });
});
