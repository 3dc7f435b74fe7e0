import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type pg from "pg";
import { randomUUID } from "node:crypto";
import { ownerClient, seedWorkspace } from "../support/owner-db";
import { jsonRequest, seedAgent, seedRuntimeKey } from "../support/seed-agents";
import { recordSpendAuthorization } from "../../lib/metrics/record-spend-authorization";
import { GET } from "../../app/metrics/route";
import { POST as postUsage } from "../../app/api/v1/usage/events/route";
import { POST as postAuthorization } from "../../app/api/v1/agents/[agent]/authorizations/route";

vi.mock("next/headers", async () => (await import("../support/request-stub")).nextHeaders);

const settings = vi.hoisted(() => ({ token: undefined as string | undefined, workspaceLabels: false }));
vi.mock("../../lib/config", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../lib/config")>();
  return { ...real, getConfig: () => ({ ...real.getConfig(), METRICS_TOKEN: settings.token, WARDEN_METRICS_WORKSPACE_LABELS: settings.workspaceLabels }) };
});

const TOKEN = "metrics-token-0123456789-abcdefghijklmnop";

let owner: pg.Client;
beforeAll(async () => {
  owner = await ownerClient();
});
afterAll(() => owner.end());

const scrape = (authorization?: string) => GET(new Request("http://warden.test/metrics", { headers: authorization ? { authorization } : {} }));

/** The value of one series in the exposition text (0 when absent). */
function sample(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

/** The sum of every series of a metric whose labels include `extra`. */
const sumOf = (text: string, name: string, extra: string) =>
  text
    .split("\n")
    .filter((line) => line.startsWith(`${name}{`) && line.includes(extra))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(" ") + 1)), 0);

describe("GET /metrics", () => {
  it("answers 404 when no token is configured, whatever is presented", async () => {
    settings.token = undefined;
    expect((await scrape()).status).toBe(404);
    expect((await scrape(`Bearer ${TOKEN}`)).status).toBe(404);
  });

  it("answers 401 without the token or with a wrong one", async () => {
    settings.token = TOKEN;
    for (const header of [undefined, "Bearer wrong", `Bearer ${TOKEN}x`, `Basic ${TOKEN}`, TOKEN]) {
      const response = await scrape(header);
      expect(response.status, String(header)).toBe(401);
      expect(await response.text()).not.toContain("sessions_started_total");
    }
  });

  it("serves Prometheus text with the usage counters, the HTTP histogram and the process metrics; the counters move by newly stored events only", async () => {
    settings.token = TOKEN;
    const ws = await seedWorkspace(owner, "metrics");
    const agent = await seedAgent(owner, ws.workspaceId);
    const { key } = await seedRuntimeKey(owner, ws.workspaceId, ws.ownerId, ["runtime:usage"]);
    const before = await (await scrape(`Bearer ${TOKEN}`)).text();
    const at = new Date(Date.now() - 60_000).toISOString();
    const events = [
      { id: "c1", type: "conversation.started", agent, occurred_at: at },
      { id: "t1", type: "turn.completed", agent, occurred_at: at },
      { id: "t2", type: "turn.completed", agent, occurred_at: at },
      { id: "l1", type: "llm.call", agent, occurred_at: at, model: "m", input_tokens: 120, output_tokens: 30 },
      { id: "x1", type: "tool.invoked", agent, occurred_at: at, tool: "search" },
    ];
    const post = () => postUsage(jsonRequest("http://warden.test/api/v1/usage/events", key, { events }));
    expect((await post()).status).toBe(200);
    expect(await (await post()).json()).toMatchObject({ accepted: 0, duplicates: 5 });
    recordSpendAuthorization("admitted", ws.workspaceId);
    recordSpendAuthorization("budget_exhausted", ws.workspaceId);

    const response = await scrape(`Bearer ${TOKEN}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    const after = await response.text();
    const moved = (series: string) => sample(after, series) - sample(before, series);
    expect(moved("sessions_started_total")).toBe(1);
    expect(moved("turns_total")).toBe(2);
    expect(moved('llm_tokens_total{direction="input"}')).toBe(120);
    expect(moved('llm_tokens_total{direction="output"}')).toBe(30);
    expect(moved("tool_invocations_total")).toBe(1);
    expect(moved('warden_spend_authorizations_total{outcome="admitted"}')).toBe(1);
    expect(moved('warden_spend_authorizations_total{outcome="budget_exhausted"}')).toBe(1);
    expect(moved('warden_http_request_duration_seconds_count{route="ingestUsageEvents",method="POST",status="200"}')).toBe(2);
    expect(after).toContain("process_cpu_user_seconds_total");
    expect(after).toContain("nodejs_heap_size_used_bytes");
    // No series is labelled by tenant.
    expect(after).not.toContain(ws.workspaceId);
    expect(after).not.toContain(agent);
    expect(after).not.toContain("workspace=");
  });
});

describe("GET /metrics with WARDEN_METRICS_WORKSPACE_LABELS", () => {
  const at = () => new Date(Date.now() - 60_000).toISOString();
  /** Reports one conversation, `turns` turns, one LLM call and one tool use for a fresh workspace. */
  async function usageIn(label: string, turns: number, tokens: { input: number; output: number }) {
    const ws = await seedWorkspace(owner, label);
    const agent = await seedAgent(owner, ws.workspaceId);
    const { key } = await seedRuntimeKey(owner, ws.workspaceId, ws.ownerId, ["runtime:usage", "runtime:spend"]);
    const events = [
      { id: "c1", type: "conversation.started", agent, occurred_at: at() },
      ...Array.from({ length: turns }, (_, i) => ({ id: `t${i}`, type: "turn.completed", agent, occurred_at: at() })),
      { id: "l1", type: "llm.call", agent, occurred_at: at(), model: "m", input_tokens: tokens.input, output_tokens: tokens.output },
      { id: "x1", type: "tool.invoked", agent, occurred_at: at(), tool: "search" },
    ];
    expect((await postUsage(jsonRequest("http://warden.test/api/v1/usage/events", key, { events }))).status).toBe(200);
    return { ...ws, agent, key };
  }
  const authorize = (key: string, agent: string, body: unknown) => {
    const request = jsonRequest(`http://warden.test/api/v1/agents/${agent}/authorizations`, key, body);
    request.headers.set("idempotency-key", randomUUID());
    return postAuthorization(request, { params: Promise.resolve({ agent }) });
  };

  it("off (the default): the counters have no workspace label, whatever was recorded", async () => {
    settings.token = TOKEN;
    settings.workspaceLabels = false;
    const a = await usageIn("metrics-off", 1, { input: 5, output: 6 });
    expect((await authorize(a.key, a.agent, { model: "unpriced-model", input_tokens: 1, max_output_tokens: 1 })).status).toBe(422);
    const text = await (await scrape(`Bearer ${TOKEN}`)).text();
    expect(text).toContain("sessions_started_total ");
    expect(text).toMatch(/warden_spend_authorizations_total\{outcome="unpriced_model"\} [1-9]/);
    expect(text).not.toContain("workspace=");
    expect(text).not.toContain(a.workspaceId);
  });

  it("on: the usage and spend counters are split by workspace id (never name or slug), and the split sums to the whole", async () => {
    settings.token = TOKEN;
    settings.workspaceLabels = true;
    const before = await (await scrape(`Bearer ${TOKEN}`)).text();
    const a = await usageIn("metrics-on-a", 2, { input: 100, output: 10 });
    const b = await usageIn("metrics-on-b", 3, { input: 7, output: 70 });
    // Spend answers through the real route: b's agent allows unpriced models, a's refuses them.
    await owner.query(`UPDATE agents SET unpriced_policy = 'allow' WHERE id = $1`, [b.agent]);
    expect((await authorize(a.key, a.agent, { model: "unpriced-model", input_tokens: 1, max_output_tokens: 1 })).status).toBe(422);
    expect((await authorize(b.key, b.agent, { model: "unpriced-model", estimated_cost: "1.00" })).status).toBe(201);
    expect((await authorize(b.key, b.agent, { model: "unpriced-model", estimated_cost: "1.00" })).status).toBe(201);
    // Refused before its key is known: counted with an empty workspace, which PromQL reads as none.
    expect((await authorize("wdn_live_not-a-key", b.agent, { model: "unpriced-model", estimated_cost: "1.00" })).status).toBe(401);

    const text = await (await scrape(`Bearer ${TOKEN}`)).text();
    const moved = (series: string) => sample(text, series) - sample(before, series);
    const ofA = `workspace="${a.workspaceId}"`;
    const ofB = `workspace="${b.workspaceId}"`;
    expect(sample(text, `sessions_started_total{${ofA}}`)).toBe(1);
    expect(sample(text, `sessions_started_total{${ofB}}`)).toBe(1);
    expect(sample(text, `turns_total{${ofA}}`)).toBe(2);
    expect(sample(text, `turns_total{${ofB}}`)).toBe(3);
    expect(sample(text, `llm_tokens_total{direction="input",${ofA}}`)).toBe(100);
    expect(sample(text, `llm_tokens_total{direction="output",${ofA}}`)).toBe(10);
    expect(sample(text, `llm_tokens_total{direction="input",${ofB}}`)).toBe(7);
    expect(sample(text, `llm_tokens_total{direction="output",${ofB}}`)).toBe(70);
    expect(sample(text, `tool_invocations_total{${ofA}}`)).toBe(1);
    expect(sample(text, `tool_invocations_total{${ofB}}`)).toBe(1);
    expect(sample(text, `warden_spend_authorizations_total{outcome="unpriced_model",${ofA}}`)).toBe(1);
    expect(sample(text, `warden_spend_authorizations_total{outcome="admitted",${ofB}}`)).toBe(2);
    expect(moved('warden_spend_authorizations_total{outcome="refused",workspace=""}')).toBe(1);

    // Summed over workspaces, each counter is what it would be without the label.
    const summed = (name: string, extra = "") => sumOf(text, name, extra) - sumOf(before, name, extra);
    expect(summed("turns_total")).toBe(5);
    expect(summed("llm_tokens_total", 'direction="input"')).toBe(107);
    expect(summed("warden_spend_authorizations_total")).toBe(4);

    // The id only: names and slugs are user data and change.
    expect(text).not.toContain(a.slug);
    expect(text).not.toContain(b.slug);
    // Neither the agent nor the HTTP histogram is split by tenant.
    expect(text).not.toContain(a.agent);
    expect(text).not.toMatch(/warden_http_request_duration_seconds_count\{[^}]*workspace=/);
  });
});
