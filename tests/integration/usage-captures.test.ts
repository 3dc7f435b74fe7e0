import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { ownerClient, seedWorkspace } from "../support/owner-db";
import { jsonRequest, seedAgent, seedRuntimeKey } from "../support/seed-agents";
import { POST as ingest } from "../../app/api/v1/usage/events/route";
import { POST as authorizePost } from "../../app/api/v1/agents/[agent]/authorizations/route";
import { POST as capturePost } from "../../app/api/v1/authorizations/[id]/capture/route";
import { BUNDLED_PRICES } from "../../lib/pricing/bundled-prices";
import { formatMoney } from "../../lib/agents/money";

vi.mock("next/headers", async () => (await import("../support/request-stub")).nextHeaders);

// What an llm.call event does to spend: priced when it has no cost, capturing the
// hold it names, charged to the agent's day when it names none.

let owner: pg.Client;
beforeAll(async () => {
  owner = await ownerClient();
});
afterAll(() => owner.end());

/** $1 per million input tokens, $2 per million output tokens. */
const PRICED = "priced-model";

async function setup(capMicros = 10_000_000) {
  const ws = await seedWorkspace(owner, "captures");
  const agent = await seedAgent(owner, ws.workspaceId);
  await owner.query(`UPDATE agents SET daily_cap_micros = $2 WHERE id = $1`, [agent, capMicros]);
  await owner.query(`INSERT INTO model_prices (workspace_id, model, input_micros_per_mtok, output_micros_per_mtok, effective_from) VALUES ($1, $2, 1000000, 2000000, '2020-01-01')`, [
    ws.workspaceId,
    PRICED,
  ]);
  const { key } = await seedRuntimeKey(owner, ws.workspaceId, ws.ownerId, ["runtime:usage", "runtime:spend"]);
  return { ws, agent, key };
}

const events = (key: string, list: unknown[]) => ingest(jsonRequest("http://warden.test/api/v1/usage/events", key, { events: list }));
const authorize = async (key: string, agent: string, body: unknown) => {
  const url = `http://warden.test/api/v1/agents/${agent}/authorizations`;
  const request = new Request(jsonRequest(url, key, body), { headers: { ...Object.fromEntries(jsonRequest(url, key, body).headers), "idempotency-key": randomUUID() } });
  const response = await authorizePost(request, { params: Promise.resolve({ agent }) });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; held: string };
};
const call = (agent: string, extra: Record<string, unknown>) => ({
  id: `call-${randomUUID()}`,
  type: "llm.call",
  agent,
  occurred_at: new Date().toISOString(),
  model: PRICED,
  input_tokens: 1_000,
  output_tokens: 500,
  ...extra,
});
const day = async (agent: string) => (await owner.query(`SELECT spent_micros::int AS spent, held_micros::int AS held FROM agent_days WHERE agent_id = $1`, [agent])).rows[0];
const hold = async (id: string) => (await owner.query(`SELECT state, charged_micros::int AS charged FROM spend_holds WHERE id = $1`, [id])).rows[0];

describe("llm.call events and spend", () => {
  it("a call without a cost is priced at the model's price (rounded up) and, with no authorization, charged to the agent's day", async () => {
    const { agent, key } = await setup();
    // 1,000 × $1/M + 500 × $2/M = $0.002; 1 input token more is 0.000001 rounded up.
    const answer = await events(key, [call(agent, {}), call(agent, { input_tokens: 1, output_tokens: 0 })]);
    expect(await answer.json()).toEqual({ accepted: 2, duplicates: 0, captured: 0 });
    const costs = await owner.query(`SELECT cost_micros::int AS cost FROM usage_events WHERE agent_id = $1 ORDER BY cost_micros`, [agent]);
    expect(costs.rows.map((r) => r.cost)).toEqual([1, 2_000]);
    expect(await day(agent)).toEqual({ spent: 2_001, held: 0 });
    // An unpriced model without a cost is stored without one: nothing is invented, nothing charged.
    await events(key, [call(agent, { model: "nobody-prices-this" })]);
    expect((await owner.query(`SELECT cost_micros FROM usage_events WHERE agent_id = $1 AND model = 'nobody-prices-this'`, [agent])).rows).toEqual([{ cost_micros: null }]);
    expect(await day(agent)).toEqual({ spent: 2_001, held: 0 });
  });

  it("a workspace that never opened its prices gets the bundled ones on the runtime's first call, for holds and for reported calls", async () => {
    const ws = await seedWorkspace(owner, "bundled");
    const agent = await seedAgent(owner, ws.workspaceId);
    const { key } = await seedRuntimeKey(owner, ws.workspaceId, ws.ownerId, ["runtime:usage", "runtime:spend"]);
    const [bundled] = BUNDLED_PRICES;
    expect((await owner.query(`SELECT count(*)::int AS n FROM model_prices WHERE workspace_id = $1`, [ws.workspaceId])).rows[0].n).toBe(0);
    const held = await authorize(key, agent, { model: bundled.model, input_tokens: 1_000_000, max_output_tokens: 0 });
    expect(held.held).toBe(formatMoney(bundled.inputMicrosPerMtok));

    const other = await seedWorkspace(owner, "bundled-events");
    const otherAgent = await seedAgent(owner, other.workspaceId);
    const { key: otherKey } = await seedRuntimeKey(owner, other.workspaceId, other.ownerId, ["runtime:usage"]);
    await events(otherKey, [call(otherAgent, { model: bundled.model, input_tokens: 0, output_tokens: 1_000_000 })]);
    const { rows } = await owner.query(`SELECT cost_micros::text AS cost FROM usage_events WHERE agent_id = $1`, [otherAgent]);
    expect(rows).toEqual([{ cost: bundled.outputMicrosPerMtok.toString() }]);
  });

  it("a call naming its authorization captures the hold at the call's cost, once, even when the event is retried", async () => {
    const { agent, key } = await setup();
    const held = await authorize(key, agent, { model: PRICED, input_tokens: 1_000, max_output_tokens: 10_000 });
    expect(await day(agent)).toEqual({ spent: 0, held: 21_000 });
    const event = call(agent, { authorization_id: held.id, cost: "0.0015" });
    expect(await (await events(key, [event])).json()).toEqual({ accepted: 1, duplicates: 0, captured: 1 });
    expect(await hold(held.id)).toEqual({ state: "captured", charged: 1_500 });
    expect(await day(agent)).toEqual({ spent: 1_500, held: 0 });
    expect(await (await events(key, [event])).json()).toEqual({ accepted: 0, duplicates: 1, captured: 0 });
    expect(await day(agent)).toEqual({ spent: 1_500, held: 0 });
    // Captured through the API afterwards: the settlement stands.
    const again = await capturePost(jsonRequest(`http://warden.test/api/v1/authorizations/${held.id}/capture`, key, { output_tokens: 1 }), { params: Promise.resolve({ id: held.id }) });
    expect(await again.json()).toMatchObject({ state: "captured", charged: "0.0015" });
    expect(await day(agent)).toEqual({ spent: 1_500, held: 0 });
  });

  it("an unpriced call reported at zero, or without a cost, is charged its hold: never settled to zero", async () => {
    const { agent, key } = await setup();
    await owner.query(`UPDATE agents SET unpriced_policy = 'allow' WHERE id = $1`, [agent]);
    const first = await authorize(key, agent, { model: "unpriced", estimated_cost: "0.50" });
    const second = await authorize(key, agent, { model: "unpriced", estimated_cost: "0.25" });
    await events(key, [call(agent, { model: "unpriced", authorization_id: first.id, cost: "0" }), call(agent, { model: "unpriced", authorization_id: second.id })]);
    expect(await hold(first.id)).toEqual({ state: "captured", charged: 500_000 });
    expect(await hold(second.id)).toEqual({ state: "captured", charged: 250_000 });
    expect(await day(agent)).toEqual({ spent: 750_000, held: 0 });
  });

  it("a capture through the API racing the call's event charges the hold once", async () => {
    const { agent, key } = await setup();
    for (let round = 0; round < 5; round++) {
      const held = await authorize(key, agent, { model: PRICED, input_tokens: 1_000, max_output_tokens: 10_000 });
      const before = await day(agent);
      const [api] = await Promise.all([
        capturePost(jsonRequest(`http://warden.test/api/v1/authorizations/${held.id}/capture`, key, { cost: "0.003" }), { params: Promise.resolve({ id: held.id }) }),
        events(key, [call(agent, { authorization_id: held.id, cost: "0.004" })]),
      ]);
      expect(api.status).toBe(200);
      const settled = await hold(held.id);
      expect(settled.state).toBe("captured");
      expect([3_000, 4_000]).toContain(settled.charged);
      expect(await day(agent)).toEqual({ spent: before.spent + settled.charged, held: before.held - 21_000 });
    }
  });

  it("an authorization of another agent, or none at all, is a 404 naming the events; one named twice is a 400; nothing is stored", async () => {
    const { ws, agent, key } = await setup();
    const other = await seedAgent(owner, ws.workspaceId);
    const othersHold = await authorize(key, other, { model: PRICED, input_tokens: 1, max_output_tokens: 1 });
    const mine = await authorize(key, agent, { model: PRICED, input_tokens: 1, max_output_tokens: 1 });
    const wrongAgent = call(agent, { authorization_id: othersHold.id });
    const missing = call(agent, { authorization_id: randomUUID() });
    const fine = call(agent, { authorization_id: mine.id });
    const refused = await events(key, [fine, wrongAgent, missing]);
    expect(refused.status).toBe(404);
    const body = await refused.json();
    expect(body.error.reason).toBe("authorization_not_found");
    expect(body.error.message).toContain(wrongAgent.id);
    expect(body.error.message).toContain(missing.id);
    const twice = await events(key, [fine, { ...call(agent, { authorization_id: mine.id }) }]);
    expect(twice.status).toBe(400);
    expect((await twice.json()).error.reason).toBe("authorization_reused");
    expect((await owner.query(`SELECT count(*)::int AS n FROM usage_events WHERE workspace_id = $1`, [ws.workspaceId])).rows[0].n).toBe(0);
    expect(await hold(mine.id)).toMatchObject({ state: "held" });
  });

  it("a call reported after its hold's 10 minutes leaves the hold charged at its held amount", async () => {
    const { agent, key } = await setup();
    const held = await authorize(key, agent, { model: PRICED, input_tokens: 1_000, max_output_tokens: 10_000 });
    await owner.query(`UPDATE spend_holds SET expires_at = now() - interval '1 second' WHERE id = $1`, [held.id]);
    expect(await (await events(key, [call(agent, { authorization_id: held.id, cost: "0.001" })])).json()).toMatchObject({ captured: 0 });
    expect(await hold(held.id)).toEqual({ state: "expired", charged: 21_000 });
    expect(await day(agent)).toEqual({ spent: 21_000, held: 0 });
  });

  it("spend reported without an authorization crosses thresholds and alerts once each, in the audit log", async () => {
    const { ws, agent, key } = await setup(10_000);
    await events(key, [call(agent, { cost: "0.006" })]);
    await events(key, [call(agent, { cost: "0.001" }), call(agent, { cost: "0.0035" })]);
    const alerts = await owner.query(`SELECT metadata->>'threshold' AS threshold FROM audit_events WHERE workspace_id = $1 AND action = 'agent.budget_alert' ORDER BY seq`, [ws.workspaceId]);
    expect(alerts.rows.map((r) => Number(r.threshold))).toEqual([50, 80, 100]);
    expect(await day(agent)).toEqual({ spent: 10_500, held: 0 });
  });
});
