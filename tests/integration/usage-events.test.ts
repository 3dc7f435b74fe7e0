import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { ownerClient, seedWorkspace } from "../support/owner-db";
import { jsonRequest, seedAgent, seedRuntimeKey } from "../support/seed-agents";
import { POST } from "../../app/api/v1/usage/events/route";

vi.mock("next/headers", async () => (await import("../support/request-stub")).nextHeaders);

let owner: pg.Client;
beforeAll(async () => {
  owner = await ownerClient();
});
afterAll(() => owner.end());

const URL = "http://warden.test/api/v1/usage/events";
const post = (key: string, events: unknown[]) => POST(jsonRequest(URL, key, { events }));
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

async function setup(timeZone = "UTC") {
  const ws = await seedWorkspace(owner, "usage");
  const agent = await seedAgent(owner, ws.workspaceId, { timeZone });
  const { key } = await seedRuntimeKey(owner, ws.workspaceId, ws.ownerId, ["runtime:usage"]);
  return { ws, agent, key };
}

const daily = async (agentId: string) =>
  (
    await owner.query(
      `SELECT day::text, conversations, turns, llm_calls, input_tokens::int, output_tokens::int, tool_invocations, cost_micros::text
         FROM usage_daily WHERE agent_id = $1 ORDER BY day`,
      [agentId],
    )
  ).rows;

const mixed = (agent: string, prefix: string, at = minutesAgo(5)) => [
  { id: `${prefix}-c`, type: "conversation.started", agent, occurred_at: at, conversation_id: "conv-1" },
  { id: `${prefix}-t`, type: "turn.completed", agent, occurred_at: at, conversation_id: "conv-1" },
  { id: `${prefix}-l`, type: "llm.call", agent, occurred_at: at, model: "gpt-4o", input_tokens: 1200, output_tokens: 300, cost: "0.0125" },
  { id: `${prefix}-x`, type: "tool.invoked", agent, occurred_at: at, tool: "search" },
];

describe("POST /api/v1/usage/events", () => {
  it("stores a batch, rolls it up per agent day, and counts a retried event once", async () => {
    const { agent, key } = await setup();
    const events = mixed(agent, "a");
    const first = await post(key, events);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ accepted: 4, duplicates: 0, captured: 0 });
    const retried = await post(key, [...events, ...mixed(agent, "b")]);
    expect(await retried.json()).toEqual({ accepted: 4, duplicates: 4, captured: 0 });
    const [row] = await daily(agent);
    expect(row).toMatchObject({ conversations: 2, turns: 2, llm_calls: 2, input_tokens: 2400, output_tokens: 600, tool_invocations: 2, cost_micros: "25000" });
    // The same id twice in one batch is stored once too.
    expect(await (await post(key, [events[0], { ...events[0] }])).json()).toEqual({ accepted: 0, duplicates: 2, captured: 0 });
  });

  it("parallel duplicate batches: each event is stored and rolled up exactly once", async () => {
    const { ws, agent, key } = await setup();
    const events = Array.from({ length: 200 }, (_, i) => ({ id: `p-${i}`, type: "llm.call", agent, occurred_at: minutesAgo(3), model: "m", input_tokens: 10, output_tokens: 1 }));
    // Overlapping halves in different orders, eight at once.
    const batches = Array.from({ length: 8 }, (_, i) => (i % 2 ? [...events].reverse() : events).slice(0, 100 + 100 * (i % 2)));
    const answers = await Promise.all(batches.map(async (batch) => (await post(key, batch)).json()));
    expect(answers.reduce((sum, a) => sum + a.accepted, 0)).toBe(200);
    expect(answers.reduce((sum, a) => sum + a.accepted + a.duplicates, 0)).toBe(batches.reduce((sum, b) => sum + b.length, 0));
    const { rows } = await owner.query(`SELECT count(*)::int AS n FROM usage_events WHERE workspace_id = $1`, [ws.workspaceId]);
    expect(rows[0].n).toBe(200);
    const [row] = await daily(agent);
    expect(row).toMatchObject({ llm_calls: 200, input_tokens: 2000, output_tokens: 200 });
  });

  it("rolls events up on the agent's own day in a non-UTC zone", async () => {
    const timeZone = "America/Los_Angeles";
    const { agent, key } = await setup(timeZone);
    // Two instants an hour apart around the agent's midnight, three days back.
    const utcDay = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
    const localDay = (iso: string) => new Intl.DateTimeFormat("en-CA", { timeZone }).format(new Date(iso));
    const offsetHours = (iso: string) => Number(new Intl.DateTimeFormat("en-US", { timeZone, hour: "numeric", hourCycle: "h23" }).format(new Date(iso)));
    // The UTC hour at which that zone's day begins on utcDay (8 in winter, 7 in summer).
    const midnightUtcHour = (24 - offsetHours(`${utcDay}T00:00:00Z`)) % 24;
    const before = new Date(Date.parse(`${utcDay}T00:00:00Z`) + (midnightUtcHour * 60 - 30) * 60_000).toISOString();
    const after = new Date(Date.parse(before) + 60 * 60_000).toISOString();
    expect(localDay(before)).not.toBe(localDay(after));
    const answer = await post(key, [
      { id: "before", type: "conversation.started", agent, occurred_at: before },
      { id: "after-1", type: "conversation.started", agent, occurred_at: after },
      { id: "after-2", type: "llm.call", agent, occurred_at: after, model: "m", input_tokens: 5, output_tokens: 7, cost: "1.5" },
    ]);
    expect(await answer.json()).toEqual({ accepted: 3, duplicates: 0, captured: 0 });
    expect(await daily(agent)).toEqual([
      { day: localDay(before), conversations: 1, turns: 0, llm_calls: 0, input_tokens: 0, output_tokens: 0, tool_invocations: 0, cost_micros: "0" },
      { day: localDay(after), conversations: 1, turns: 0, llm_calls: 1, input_tokens: 5, output_tokens: 7, tool_invocations: 0, cost_micros: "1500000" },
    ]);
  });

  it("a key bound to agent A cannot report for agent B: 403 naming B, nothing stored", async () => {
    const { ws, agent } = await setup();
    const other = await seedAgent(owner, ws.workspaceId);
    const { key } = await seedRuntimeKey(owner, ws.workspaceId, ws.ownerId, ["runtime:usage"], agent);
    const refused = await post(key, [...mixed(agent, "mine"), ...mixed(other, "theirs")]);
    expect(refused.status).toBe(403);
    const body = await refused.json();
    expect(body.error).toMatchObject({ code: "forbidden", reason: "agent_not_allowed" });
    expect(body.error.message).toContain(other);
    expect(body.error.message).not.toContain(agent);
    expect(await daily(agent)).toEqual([]);
    expect(await (await post(key, mixed(agent, "mine"))).json()).toEqual({ accepted: 4, duplicates: 0, captured: 0 });
  });

  it("an unknown agent, or another workspace's, is a 404 naming it, and nothing of the batch is stored", async () => {
    const { ws, agent, key } = await setup();
    const elsewhere = await setup();
    const unknown = randomUUID();
    const refused = await post(key, [...mixed(agent, "ok"), ...mixed(unknown, "u"), ...mixed(elsewhere.agent, "e")]);
    expect(refused.status).toBe(404);
    const body = await refused.json();
    expect(body.error).toMatchObject({ code: "not_found", reason: "agent_not_found" });
    expect(body.error.message).toContain(unknown);
    expect(body.error.message).toContain(elsewhere.agent);
    const { rows } = await owner.query(`SELECT count(*)::int AS n FROM usage_events WHERE workspace_id = $1`, [ws.workspaceId]);
    expect(rows[0].n).toBe(0);
  });

  it.each([
    ["an unknown type", { type: "llm.called" }, "events.0.type"],
    ["an llm.call without its model", { type: "llm.call", input_tokens: 1, output_tokens: 1 }, "events.0.model"],
    ["negative tokens", { type: "llm.call", model: "m", input_tokens: -1, output_tokens: 1 }, "events.0.input_tokens"],
    ["a cost finer than a micro-dollar", { type: "llm.call", model: "m", input_tokens: 1, output_tokens: 1, cost: "0.0000001" }, "events.0.cost"],
    ["a cost as a number", { type: "llm.call", model: "m", input_tokens: 1, output_tokens: 1, cost: 0.5 }, "events.0.cost"],
    ["a time in the future", { type: "turn.completed", occurred_at: new Date(Date.now() + 86_400_000).toISOString() }, "events.0.occurred_at"],
    ["a time without an offset", { type: "turn.completed", occurred_at: "2026-11-20T10:00:00" }, "events.0.occurred_at"],
    ["a field of another type", { type: "turn.completed", tool: "search" }, "tool"],
    ["an id with a control character", { type: "turn.completed", id: "a\u0000b" }, "events.0.id"],
    ["an agent that is not a UUID", { type: "turn.completed", agent: "agent-1" }, "events.0.agent"],
  ])("%s is a 400 naming the field", async (_name, override, parameter) => {
    const { agent, key } = await setup();
    const response = await post(key, [{ id: "e-1", agent, occurred_at: minutesAgo(1), ...override }]);
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatchObject({ code: "invalid_input", reason: "invalid_body", parameter });
  });

  it("1,001 events are a 400 naming events; 1,000 are taken", async () => {
    const { agent, key } = await setup();
    const many = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => ({ id: `${prefix}-${i}`, type: "turn.completed", agent, occurred_at: minutesAgo(2) }));
    const refused = await post(key, many(1_001, "over"));
    expect(refused.status).toBe(400);
    expect((await refused.json()).error).toMatchObject({ reason: "invalid_body", parameter: "events" });
    expect(await (await post(key, many(1_000, "max"))).json()).toEqual({ accepted: 1_000, duplicates: 0, captured: 0 });
    expect((await daily(agent))[0]).toMatchObject({ turns: 1_000 });
  });

  it("a body over 1 MB is a 413 in JSON, read no further", async () => {
    const { agent, key } = await setup();
    const padding = "x".repeat(1_100_000);
    const response = await POST(jsonRequest(URL, key, null, { raw: JSON.stringify({ events: [{ id: padding, type: "turn.completed", agent, occurred_at: minutesAgo(1) }] }) }));
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: "payload_too_large" } });
  });

  it("a key without runtime:usage is refused", async () => {
    const { ws, agent } = await setup();
    const { key } = await seedRuntimeKey(owner, ws.workspaceId, ws.ownerId, ["usage:read"]);
    const response = await post(key, mixed(agent, "s"));
    expect(response.status).toBe(403);
    expect((await response.json()).error).toMatchObject({ reason: "insufficient_scope" });
  });
});
