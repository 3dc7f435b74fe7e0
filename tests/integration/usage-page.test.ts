import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { randomUUID } from "node:crypto";
import { renderToStaticMarkup } from "react-dom/server";
import { createElement } from "react";
import type pg from "pg";
import { ownerClient, seedMember, seedWorkspace, type SeededWorkspace } from "../support/owner-db";
import { seedAgent } from "../support/seed-agents";
import { signInAs } from "../support/request-stub";
import { getUsagePage } from "../../lib/usage/get-usage-page";
import { getOverview } from "../../lib/workspaces/get-overview";
import { AgentTrend } from "../../components/usage/agent-trend";
import UsagePage from "../../app/w/[workspace]/usage/page";
import OverviewPage from "../../app/w/[workspace]/page";

// The Usage page's workspace figures and the overview's usage cards, read from
// seeded rows at a fixed instant: 20:00 UTC on 20 Nov is 05:00 on 21 Nov in Tokyo,
// the workspace's zone, so its 30 days run 23 Oct to 21 Nov.

vi.mock("next/headers", async () => (await import("../support/request-stub")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const NOW = new Date("2026-11-20T20:00:00Z");

let owner: pg.Client;
beforeAll(async () => {
  owner = await ownerClient();
});
afterAll(() => owner.end());

const day = (ws: SeededWorkspace, agent: string, d: string, spent: number, held = 0) =>
  owner.query(`INSERT INTO agent_days (workspace_id, agent_id, day, spent_micros, held_micros) VALUES ($1, $2, $3, $4, $5)`, [ws.workspaceId, agent, d, spent, held]);
const rollup = (ws: SeededWorkspace, agent: string, d: string, conversations: number) =>
  owner.query(`INSERT INTO usage_daily (workspace_id, agent_id, day, conversations) VALUES ($1, $2, $3, $4)`, [ws.workspaceId, agent, d, conversations]);
const conversation = (ws: SeededWorkspace, agent: string, occurredAt: Date) =>
  owner.query(
    `INSERT INTO usage_events (workspace_id, id, agent_id, type, occurred_at, day) VALUES ($1, $2, $3, 'conversation.started', $4::timestamptz, ($4::timestamptz AT TIME ZONE 'UTC')::date)`,
    [ws.workspaceId, randomUUID(), agent, occurredAt],
  );
// Not yet due: a hold written here has no day row behind it, and the maintenance sweep must not charge it.
const hold = (ws: SeededWorkspace, agent: string, d: string, model: string, state: string, charged: number | null, held = 0) =>
  owner.query(
    `INSERT INTO spend_holds (workspace_id, agent_id, day, idempotency_key, request_hash, model, held_micros, state, charged_micros, expires_at)
     VALUES ($1, $2, $3, $4, 'hash', $5, $6, $7, $8, now() + interval '10 minutes')`,
    [ws.workspaceId, agent, d, randomUUID(), model, held, state, charged],
  );
const llmCall = (ws: SeededWorkspace, agent: string, d: string, model: string, cost: number, authorizationId: string | null = null) =>
  owner.query(
    `INSERT INTO usage_events (workspace_id, id, agent_id, type, occurred_at, day, model, input_tokens, output_tokens, cost_micros, authorization_id)
     VALUES ($1, $2, $3, 'llm.call', $4::date + time '12:00', $4, $5, 10, 10, $6, $7)`,
    [ws.workspaceId, randomUUID(), agent, d, model, cost, authorizationId],
  );

async function seeded() {
  const ws = await seedWorkspace(owner, "usage-page");
  await owner.query(`UPDATE workspaces SET time_zone = 'Asia/Tokyo' WHERE id = $1`, [ws.workspaceId]);
  const tokyo = await seedAgent(owner, ws.workspaceId, { name: "tokyo-bot", timeZone: "Asia/Tokyo" });
  const utc = await seedAgent(owner, ws.workspaceId, { name: "utc-bot", timeZone: "UTC" });
  // Spend: the window's first day, the day before it (outside), and its last two days.
  await day(ws, tokyo, "2026-10-22", 9_990_000);
  await day(ws, tokyo, "2026-10-23", 250_000);
  await day(ws, tokyo, "2026-11-20", 2_000_000);
  await day(ws, tokyo, "2026-11-21", 1_500_000);
  await day(ws, utc, "2026-11-20", 500_000);
  await rollup(ws, tokyo, "2026-10-22", 7);
  await rollup(ws, tokyo, "2026-11-20", 3);
  await rollup(ws, utc, "2026-11-20", 1);
  return { ws, tokyo, utc };
}

describe("the Usage page's workspace figures", () => {
  it("counts conversations started in the rolling 30 days up to now, to the instant, in this workspace only", async () => {
    const { ws, tokyo } = await seeded();
    const thirtyDays = 30 * 86_400_000;
    await conversation(ws, tokyo, new Date(NOW.getTime() - thirtyDays)); // exactly 30 days ago: out
    await conversation(ws, tokyo, new Date(NOW.getTime() - thirtyDays + 1000)); // in
    await conversation(ws, tokyo, new Date(NOW.getTime() - 60_000)); // in
    const other = await seedWorkspace(owner, "usage-page-other");
    await conversation(other, await seedAgent(owner, other.workspaceId), new Date(NOW.getTime() - 60_000));
    const usage = await getUsagePage({ workspaceId: ws.workspaceId, now: NOW });
    expect(usage.conversations30d).toBe(2);
  });

  it("charts 30 days in the workspace's zone, every day present, spend from agent_days and conversations from the rollups", async () => {
    const { ws } = await seeded();
    const usage = await getUsagePage({ workspaceId: ws.workspaceId, now: NOW });
    expect(usage.window).toEqual({ from: "2026-10-23", to: "2026-11-21" });
    expect(usage.daily).toHaveLength(30);
    expect(usage.daily[0]).toMatchObject({ day: "2026-10-23", spent: "0.25", conversations: 0 });
    expect(usage.daily.at(-1)).toMatchObject({ day: "2026-11-21", spent: "1.50", conversations: 0 });
    expect(usage.daily.find((d) => d.day === "2026-11-20")).toMatchObject({ spent: "2.50", conversations: 4 });
    expect(usage.daily.find((d) => d.day === "2026-11-01")).toMatchObject({ spent: "0.00", spentMicros: 0, conversations: 0 });
    const days = usage.daily.map((d) => d.day);
    expect(new Set(days).size).toBe(30);
    expect(days).toEqual([...days].sort());
  });

  it("sums spend by model from settled holds and from LLM calls made without an authorization, largest first", async () => {
    const { ws, tokyo, utc } = await seeded();
    await hold(ws, tokyo, "2026-11-20", "gpt-4o", "captured", 1_000_000);
    await hold(ws, tokyo, "2026-11-21", "gpt-4o", "expired", 500_000, 500_000);
    await hold(ws, tokyo, "2026-11-21", "gpt-4o", "held", null, 7_000_000); // not settled: not spent
    await hold(ws, tokyo, "2026-11-21", "gpt-4o", "voided", 3_000_000); // released: never spent
    await hold(ws, tokyo, "2026-10-22", "gpt-4o", "captured", 100_000_000); // before the window
    await hold(ws, utc, "2026-11-20", "claude-sonnet", "captured", 2_000_000);
    await llmCall(ws, tokyo, "2026-11-21", "claude-sonnet", 750_000);
    await llmCall(ws, utc, "2026-11-20", "gpt-4o-mini", 100_000);
    await llmCall(ws, utc, "2026-11-20", "gpt-4o-mini", 5_000_000, randomUUID()); // authorized: its hold carries the cost
    await llmCall(ws, utc, "2026-10-22", "gpt-4o-mini", 40_000_000); // before the window
    const usage = await getUsagePage({ workspaceId: ws.workspaceId, now: NOW });
    expect(usage.byModel.map(({ model, spent }) => ({ model, spent }))).toEqual([
      { model: "claude-sonnet", spent: "2.75" },
      { model: "gpt-4o", spent: "1.50" },
      { model: "gpt-4o-mini", spent: "0.10" },
    ]);
  });

  it("gives each agent its last 7 days of spend in its own zone, today last, and says the figures in the trend's label", async () => {
    const { ws, tokyo, utc } = await seeded();
    const usage = await getUsagePage({ workspaceId: ws.workspaceId, now: NOW });
    expect(usage.trends[tokyo].map((d) => d.day)).toEqual(["2026-11-15", "2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20", "2026-11-21"]);
    expect(usage.trends[tokyo].map((d) => d.spent)).toEqual(["0.00", "0.00", "0.00", "0.00", "0.00", "2.00", "1.50"]);
    expect(usage.trends[utc].map((d) => d.day).at(-1)).toBe("2026-11-20");
    expect(usage.trends[utc].map((d) => d.spent)).toEqual(["0.00", "0.00", "0.00", "0.00", "0.00", "0.00", "0.50"]);
    const svg = renderToStaticMarkup(createElement(AgentTrend, { agentId: tokyo, name: "tokyo-bot", days: usage.trends[tokyo] }));
    expect(svg).toContain(`data-testid="agent-trend-${tokyo}"`);
    expect(svg).toContain("2026-11-20 $2.00; 2026-11-21 $1.50");
    expect(svg).not.toContain("style=");
  });

  it("with no agents and no usage, the window is still 30 zero days and nothing is spent by model", async () => {
    const ws = await seedWorkspace(owner, "usage-page-empty");
    const usage = await getUsagePage({ workspaceId: ws.workspaceId, now: NOW });
    expect(usage).toMatchObject({ agents: [], trends: {}, conversations30d: 0, byModel: [], window: { from: "2026-10-22", to: "2026-11-20" } });
    expect(usage.daily).toHaveLength(30);
    expect(usage.daily.every((d) => d.spent === "0.00" && d.conversations === 0)).toBe(true);
  });

  it("a viewer sees the page with every figure's test id and no inline style the CSP would refuse", async () => {
    const { ws, tokyo } = await seeded();
    const viewer = await seedMember(owner, ws.workspaceId, "viewer");
    await signInAs(owner, viewer.id);
    const html = renderToStaticMarkup(await UsagePage({ params: Promise.resolve({ workspace: ws.slug }) }));
    for (const id of ["usage-conversations-30d", "usage-daily-chart", "usage-by-model", "usage-export-link", `agent-trend-${tokyo}`]) {
      expect(html, id).toContain(`data-testid="${id}"`);
    }
    expect(html).toContain(`href="/w/${ws.slug}/usage/export"`);
    expect(html).not.toMatch(/\sstyle="/);
  });
});

describe("the overview's usage cards", () => {
  it("show the 30-day conversations, today's spend across agents (each in its own zone) and the active agents their cap halted", async () => {
    const { ws, tokyo, utc } = await seeded();
    await conversation(ws, tokyo, new Date(NOW.getTime() - 86_400_000));
    await owner.query(`UPDATE agents SET daily_cap_micros = 500000 WHERE id = $1`, [utc]); // spent 0.50 of 0.50: halted
    const held = await seedAgent(owner, ws.workspaceId, { name: "held-bot" });
    await owner.query(`UPDATE agents SET daily_cap_micros = 1000000 WHERE id = $1`, [held]);
    await day(ws, held, "2026-11-20", 400_000, 600_000); // spent + held reach the cap: halted
    const paused = await seedAgent(owner, ws.workspaceId, { name: "paused-bot" });
    await owner.query(`UPDATE agents SET daily_cap_micros = 0, state = 'paused' WHERE id = $1`, [paused]);
    const archived = await seedAgent(owner, ws.workspaceId, { name: "archived-bot" });
    await owner.query(`UPDATE agents SET daily_cap_micros = 100000, state = 'archived', archived_at = now() WHERE id = $1`, [archived]);
    await day(ws, archived, "2026-11-20", 100_000);
    const under = await seedAgent(owner, ws.workspaceId, { name: "under-bot" });
    await day(ws, under, "2026-11-20", 9_999_999); // a micro-dollar under its $10 cap
    await day(ws, under, "2026-11-19", 10_000_000); // yesterday's full day does not halt today

    const overview = await getOverview({ workspaceId: ws.workspaceId, policy: "none", includeEvents: false, includeUsage: true, now: NOW });
    expect(overview.usage?.conversations30d).toBe(1);
    // tokyo-bot's today is 21 Nov (1.50); utc-bot 0.50, held-bot 0.40, archived-bot 0.10, under-bot 9.999999 on 20 Nov.
    expect(overview.usage?.spentToday).toBe("12.499999");
    expect(overview.usage?.haltedAgents.map((a) => a.name)).toEqual(["held-bot", "utc-bot"]);
    const without = await getOverview({ workspaceId: ws.workspaceId, policy: "none", includeEvents: false, now: NOW });
    expect(without.usage).toBeNull();
  });

  it("the overview page shows the cards with their test ids, the halted agent linking to the Usage page", async () => {
    const { ws, utc } = await seeded();
    await owner.query(`UPDATE agents SET daily_cap_micros = 0 WHERE id = $1`, [utc]);
    await signInAs(owner, ws.ownerId);
    const html = renderToStaticMarkup(await OverviewPage({ params: Promise.resolve({ workspace: ws.slug }) }));
    for (const id of ["overview-conversations-30d", "overview-spend-today", "overview-halted-agents"]) expect(html, id).toContain(`data-testid="${id}"`);
    expect(html).toMatch(new RegExp(`href="/w/${ws.slug}/usage"[^>]*>utc-bot<`));
  });
});
