import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type pg from "pg";
import { ownerClient, seedWorkspace } from "../support/owner-db";
import { jsonRequest, seedAgent, seedRuntimeKey } from "../support/seed-agents";
import { recordSpendAuthorization } from "../../lib/metrics/record-spend-authorization";
import { GET } from "../../app/metrics/route";
import { POST as postUsage } from "../../app/api/v1/usage/events/route";

vi.mock("next/headers", async () => (await import("../support/request-stub")).nextHeaders);

const settings = vi.hoisted(() => ({ token: undefined as string | undefined }));
vi.mock("../../lib/config", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../lib/config")>();
  return { ...real, getConfig: () => ({ ...real.getConfig(), METRICS_TOKEN: settings.token }) };
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
    expect(await (await post()).json()).toEqual({ accepted: 0, duplicates: 5 });
    recordSpendAuthorization("admitted");
    recordSpendAuthorization("budget_exhausted");

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
  });
});
