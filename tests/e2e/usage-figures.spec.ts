import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { generateApiKey } from "../../lib/api-keys/api-key-token";
import { freshIp, query, seedWorkspace } from "./support/seed";
import { newClient, signIn } from "./support/sign-in";

// The Usage page's workspace figures, its CSV export and the overview's usage
// cards, as a browser shows them, from usage reported the way the runtime reports
// it: a real API key, POST /api/v1/usage/events, and spend authorized and captured
// through /api/v1/agents/{id}/authorizations and /capture. Only what the API
// cannot do (an agent's today in a far zone, a cap already reached) is seeded in SQL.

const DAY_MS = 86_400_000;
/** The UTC calendar day `n` days before now (the agents and workspaces here count their days in UTC). */
const daysAgo = (n: number) => new Date(Date.now() - n * DAY_MS).toISOString().slice(0, 10);
/** A moment `n` days before now (an event's occurred_at; its UTC day is daysAgo(n)). */
const momentAgo = (n: number) => new Date(Date.now() - n * DAY_MS).toISOString();

async function seedAgent(workspaceId: string, name: string, options: { capMicros?: number; timeZone?: string; state?: "active" | "paused" } = {}) {
  const [row] = await query<{ id: string }>(`INSERT INTO agents (workspace_id, name, daily_cap_micros, time_zone, state) VALUES ($1, $2, $3, $4, $5) RETURNING id::text AS id`, [
    workspaceId,
    name,
    options.capMicros ?? 100_000_000,
    options.timeZone ?? "UTC",
    options.state ?? "active",
  ]);
  return row.id;
}

/** The runtime's side: a key for the workspace (stored as the key form stores it) and the calls it makes. */
async function runtimeFor(baseURL: string, workspaceId: string, ownerId: string) {
  const { key, prefix, hash } = generateApiKey();
  await query(`INSERT INTO api_keys (workspace_id, name, prefix, key_hash, scopes, created_by_id) VALUES ($1, 'runtime', $2, $3, '{runtime:spend,runtime:usage}', $4)`, [
    workspaceId,
    prefix,
    hash,
    ownerId,
  ]);
  const ip = freshIp();
  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${baseURL}${path}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json", "X-Forwarded-For": ip, ...headers },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  return {
    async events(events: Record<string, unknown>[]) {
      const answer = await post("/api/v1/usage/events", { events });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.body).toMatchObject({ accepted: events.length, duplicates: 0 });
    },
    /** Authorizes a worst case and captures the call's actual cost: spend charged to the agent's today. */
    async spend(agentId: string, model: string, estimated: string, cost: string) {
      const held = await post(`/api/v1/agents/${agentId}/authorizations`, { model, estimated_cost: estimated }, { "Idempotency-Key": randomUUID() });
      expect(held.status, JSON.stringify(held.body)).toBe(201);
      const captured = await post(`/api/v1/authorizations/${held.body.id as string}/capture`, { cost });
      expect(captured.status, JSON.stringify(captured.body)).toBe(200);
      expect(captured.body).toMatchObject({ state: "captured" });
    },
  };
}

const conversation = (agent: string, days: number) => ({ id: randomUUID(), type: "conversation.started", agent, occurred_at: momentAgo(days) });

/** Every CSP violation the pages of this context raise, from the page's own event and from the console. */
async function watchCsp(context: BrowserContext, page: Page) {
  await context.addInitScript(() => {
    const seen: string[] = [];
    Object.assign(window, { __cspViolations: seen });
    document.addEventListener("securitypolicyviolation", (event) => seen.push(`${event.effectiveDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`));
  });
  const console: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to (execute|load|apply)/i.test(message.text())) console.push(message.text());
  });
  return async () => [...(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations)), ...console];
}

test("the Usage page shows the workspace's 30 days as reported through the API: headline, drawn chart, table, spend by model, trends; the CSV is exact, formula-safe and audited; no CSP violation", async ({
  browser,
  baseURL,
}) => {
  const ws = await seedWorkspace({ owner: "owner" }, "usage-figures");
  const alpha = await seedAgent(ws.workspaceId, "Alpha");
  const hyperlinkName = '=HYPERLINK("http://x")';
  const hyperlink = await seedAgent(ws.workspaceId, hyperlinkName);
  const runtime = await runtimeFor(baseURL!, ws.workspaceId, ws.users.owner.id);

  // Conversations on several of the last 30 days, and one 31 days old (stored, but outside the rolling 30 days).
  await runtime.events([
    conversation(alpha, 0),
    conversation(alpha, 3),
    conversation(alpha, 10),
    conversation(alpha, 31),
    conversation(hyperlink, 3),
    conversation(hyperlink, 20),
    { id: randomUUID(), type: "turn.completed", agent: alpha, occurred_at: momentAgo(3) },
    // An LLM call made without an authorization: charged to its own day, and to its model.
    { id: randomUUID(), type: "llm.call", agent: alpha, occurred_at: momentAgo(3), model: "gpt-4o", input_tokens: 1000, output_tokens: 500, cost: "0.60" },
  ]);
  // Spend authorized and captured today on two models.
  await runtime.spend(alpha, "gpt-4o", "1.00", "0.75");
  await runtime.spend(hyperlink, "claude-sonnet-4", "2.00", "1.25");
  const [stored] = await query<{ count: number }>(`SELECT count(*)::int AS count FROM usage_events WHERE workspace_id = $1 AND type = 'conversation.started'`, [ws.workspaceId]);
  expect(stored.count).toBe(6);

  const { context, page } = await newClient(browser);
  const violations = await watchCsp(context, page);
  await signIn(page, ws.users.owner.email, ws.password, { landsOn: new RegExp(`/w/${ws.slug}$`) });
  await expect(page.getByTestId("overview-conversations-30d")).toHaveText("5");
  await page.waitForLoadState("networkidle");
  expect(await violations()).toEqual([]);

  await page.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Usage" }).click();
  await expect(page).toHaveURL(new RegExp(`/w/${ws.slug}/usage$`));
  // The 31-day-old conversation is not counted.
  await expect(page.getByTestId("usage-conversations-30d")).toHaveText("5");
  await expect(page.getByRole("heading", { name: "No usage yet" })).toHaveCount(0);

  // The chart is drawn on the client after hydration: an SVG with bars (two days with spend) and the conversations line.
  const chart = page.getByTestId("usage-daily-chart");
  await expect(chart.getByText("Loading chart…")).toHaveCount(0);
  await expect(chart.locator("svg.recharts-surface").first()).toBeVisible();
  await expect(chart.locator(".recharts-bar-rectangle path")).toHaveCount(2);
  await expect(chart.locator("path.recharts-line-curve")).toHaveAttribute("d", /^M.+L/);
  await chart.hover();
  await expect(chart.locator(".recharts-tooltip-wrapper")).toContainText(/\d{4}-\d{2}-\d{2}/);
  await chart.hover({ position: { x: 80, y: 60 } });
  await page.waitForTimeout(300);
  expect(await violations()).toEqual([]);

  // The same figures as a table: 30 days, today last.
  await page.getByText("Show as table").click();
  const table = page.getByTestId("usage-daily-table");
  await expect(table).toBeVisible();
  const rows = table.locator("tbody tr");
  await expect(rows).toHaveCount(30);
  await expect(rows.first().locator("th")).toHaveText(daysAgo(29));
  await expect(rows.last().locator("th")).toHaveText(daysAgo(0));
  const day = (d: string) => rows.filter({ has: page.getByRole("rowheader", { name: d, exact: true }) }).locator("td");
  await expect(day(daysAgo(3))).toHaveText(["$0.60", "2"]);
  await expect(day(daysAgo(0))).toHaveText(["$2.00", "1"]);
  await expect(day(daysAgo(10))).toHaveText(["$0.00", "1"]);
  await expect(day(daysAgo(20))).toHaveText(["$0.00", "1"]);
  await expect(day(daysAgo(5))).toHaveText(["$0.00", "0"]);

  // Spend by model, largest first: gpt-4o's captured hold plus its call made without one.
  const models = page.getByTestId("usage-by-model-row");
  await expect(models.locator("th")).toHaveText(["gpt-4o", "claude-sonnet-4"]);
  await expect(models.locator("td:nth-child(2)")).toHaveText(["$1.35", "$1.25"]);

  // Each agent's trend names its last 7 days.
  const week = [6, 5, 4, 3, 2, 1, 0].map(daysAgo);
  const label = (name: string, spent: Record<string, string>) => `${name}, spend over the last 7 days: ${week.map((d) => `${d} $${spent[d] ?? "0.00"}`).join("; ")}`;
  await expect(page.getByTestId(`agent-trend-${alpha}`)).toHaveAttribute("aria-label", label("Alpha", { [daysAgo(3)]: "0.60", [daysAgo(0)]: "0.75" }));
  await expect(page.getByTestId(`agent-trend-${hyperlink}`)).toHaveAttribute("aria-label", label(hyperlinkName, { [daysAgo(0)]: "1.25" }));
  expect(await violations()).toEqual([]);

  // The CSV: one row per agent and day, exact; the typed name defused as in the audit export.
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download CSV" }).click()]);
  expect(file.suggestedFilename()).toBe(`usage-${ws.slug}-${daysAgo(29)}-to-${daysAgo(0)}.csv`);
  const lines = readFileSync(await file.path(), "utf8").split("\r\n");
  expect(lines[0]).toBe("day,agent_id,agent_name,conversations,turns,llm_calls,input_tokens,output_tokens,tool_invocations,reported_cost,spent");
  expect(lines.at(-1)).toBe("");
  expect(lines).toHaveLength(1 + 30 * 2 + 1);
  expect(lines).toContain(`${daysAgo(3)},${alpha},"Alpha",1,1,1,1000,500,0,0.60,0.60`);
  expect(lines).toContain(`${daysAgo(0)},${alpha},"Alpha",1,0,0,0,0,0,0.00,0.75`);
  expect(lines).toContain(`${daysAgo(0)},${hyperlink},"'=HYPERLINK(""http://x"")",0,0,0,0,0,0,0.00,1.25`);
  expect(lines).toContain(`${daysAgo(20)},${hyperlink},"'=HYPERLINK(""http://x"")",1,0,0,0,0,0,0.00,0.00`);
  expect(lines.filter((line) => line.includes("HYPERLINK")).every((line) => line.includes(`,"'=HYPERLINK(`))).toBe(true);

  const exported = await query<{ actor_id: string; metadata: Record<string, unknown> }>(
    `SELECT actor_id::text AS actor_id, metadata FROM audit_events WHERE workspace_id = $1 AND action = 'usage.exported'`,
    [ws.workspaceId],
  );
  expect(exported).toEqual([{ actor_id: ws.users.owner.id, metadata: { from: daysAgo(29), to: daysAgo(0), time_zone: "UTC", rows: 60 } }]);

  // A date that is no date: 400 naming the parameter, nothing exported, nothing recorded.
  const refused = await page.request.get(`/w/${ws.slug}/usage/export?from=2026-13-45`);
  expect(refused.status()).toBe(400);
  const refusal = (await refused.json()) as { error: { message: string; errors: Record<string, string[]> } };
  expect(refusal.error.message).toMatch(/^Invalid parameter from:/);
  expect(Object.keys(refusal.error.errors)).toEqual(["from"]);
  expect(await query(`SELECT 1 FROM audit_events WHERE workspace_id = $1 AND action = 'usage.exported'`, [ws.workspaceId])).toHaveLength(1);
  expect(await violations()).toEqual([]);
  await context.close();
});

test("the overview counts the 30 days' conversations, sums each agent's today in its own zone, and lists the agent its cap halted with a link to Usage", async ({ browser, baseURL }) => {
  const ws = await seedWorkspace({ owner: "owner" }, "usage-glance");
  // UTC+14: its today is not the UTC day for ten hours of every UTC day.
  const halted = await seedAgent(ws.workspaceId, "Halted bot", { capMicros: 5_000_000, timeZone: "Pacific/Kiritimati" });
  // UTC-12: its today is not the UTC day for twelve hours of every UTC day.
  const under = await seedAgent(ws.workspaceId, "Under-cap bot", { capMicros: 10_000_000, timeZone: "Etc/GMT+12" });
  const paused = await seedAgent(ws.workspaceId, "Paused bot", { capMicros: 1_000_000, state: "paused" });
  const runtime = await runtimeFor(baseURL!, ws.workspaceId, ws.users.owner.id);
  await runtime.events([conversation(halted, 1), conversation(under, 2), conversation(under, 29), conversation(halted, 32)]);

  const day = async (agentId: string, offsetDays: number, spent: number, held: number) =>
    query(
      `INSERT INTO agent_days (workspace_id, agent_id, day, spent_micros, held_micros)
       SELECT workspace_id, id, (now() AT TIME ZONE time_zone)::date + $2::int, $3, $4 FROM agents WHERE id = $1
       ON CONFLICT (agent_id, day) DO UPDATE SET spent_micros = EXCLUDED.spent_micros, held_micros = EXCLUDED.held_micros`,
      [agentId, offsetDays, spent, held],
    );
  await day(halted, 0, 4_000_000, 1_000_000); // spent + held = cap: halted
  await day(under, 0, 2_500_000, 0);
  await day(under, -1, 10_000_000, 0); // at its cap yesterday, in its zone: not today
  await day(paused, 0, 1_000_000, 0); // at its cap, but paused: not halted by the cap

  const { context, page } = await newClient(browser);
  const violations = await watchCsp(context, page);
  await signIn(page, ws.users.owner.email, ws.password, { landsOn: new RegExp(`/w/${ws.slug}$`) });
  await expect(page.getByTestId("overview-conversations-30d")).toHaveText("3");
  await expect(page.getByTestId("overview-spend-today")).toHaveText("$7.50");
  const card = page.getByTestId("overview-halted-agents");
  await expect(card).toContainText("1 agent is halted for today");
  await expect(card.getByRole("link")).toHaveText(["Halted bot"]);
  await expect(card.getByRole("link", { name: "Under-cap bot" })).toHaveCount(0);
  await page.waitForLoadState("networkidle");
  expect(await violations()).toEqual([]);

  await card.getByRole("link", { name: "Halted bot" }).click();
  await expect(page).toHaveURL(new RegExp(`/w/${ws.slug}/usage$`));
  await expect(page.getByTestId("usage-conversations-30d")).toHaveText("3");
  expect(await violations()).toEqual([]);
  await context.close();
});

test("a workspace with no usage shows the Usage page's empty states and zeros on the overview", async ({ browser }) => {
  const ws = await seedWorkspace({ owner: "owner" }, "usage-empty");
  const { context, page } = await newClient(browser);
  const violations = await watchCsp(context, page);
  await signIn(page, ws.users.owner.email, ws.password, { landsOn: new RegExp(`/w/${ws.slug}$`) });
  await expect(page.getByTestId("overview-conversations-30d")).toHaveText("0");
  await expect(page.getByTestId("overview-spend-today")).toHaveText("$0.00");
  await expect(page.getByTestId("overview-halted-agents")).toHaveText("No agent is halted by its daily cap.");

  await page.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Usage" }).click();
  await expect(page.getByTestId("usage-conversations-30d")).toHaveText("0");
  await expect(page.getByRole("heading", { name: "No usage yet" })).toBeVisible();
  await expect(page.getByTestId("usage-by-model").getByRole("heading", { name: "No model spend yet" })).toBeVisible();
  await expect(page.getByTestId("usage-by-model-row")).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "No agents yet" })).toBeVisible();
  await page.getByText("Show as table").click();
  const rows = page.getByTestId("usage-daily-table").locator("tbody tr");
  await expect(rows).toHaveCount(30);
  await expect(rows.locator("td:nth-child(2)")).toHaveText(Array(30).fill("$0.00"));
  await expect(rows.locator("td:nth-child(3)")).toHaveText(Array(30).fill("0"));
  await page.getByTestId("usage-daily-chart").hover();
  await page.waitForLoadState("networkidle");
  expect(await violations()).toEqual([]);
  await context.close();
});
