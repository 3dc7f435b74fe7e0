import { expect, test, type Page } from "@playwright/test";
import { query, seedWorkspace } from "./support/seed";
import { newClient, signIn } from "./support/sign-in";

// What a person does on the Usage page's Agents and Model prices sections: the
// forms' refusals leave nothing stored, every change lands in the database and in
// the audit log with before and after, and only the roles allowed see the controls.

type AgentSeed = { name: string; capMicros: number; timeZone?: string; thresholds?: number[] };

/** An agent straight into the database (what the form would have stored), for specs about what comes after. */
async function seedAgent(workspaceId: string, agent: AgentSeed): Promise<string> {
  const [row] = await query<{ id: string }>(`INSERT INTO agents (workspace_id, name, daily_cap_micros, time_zone, alert_thresholds) VALUES ($1, $2, $3, $4, $5::int[]) RETURNING id::text AS id`, [
    workspaceId,
    agent.name,
    agent.capMicros,
    agent.timeZone ?? "UTC",
    agent.thresholds ?? [50, 80, 100],
  ]);
  return row.id;
}

/** Today's row of an agent, today being the date in the agent's own zone (as the page and the spend path read it). */
async function seedToday(agentId: string, spentMicros: number, heldMicros: number): Promise<string> {
  const [row] = await query<{ day: string }>(
    `INSERT INTO agent_days (workspace_id, agent_id, day, spent_micros, held_micros)
     SELECT workspace_id, id, (now() AT TIME ZONE time_zone)::date, $2, $3 FROM agents WHERE id = $1
     ON CONFLICT (agent_id, day) DO UPDATE SET spent_micros = EXCLUDED.spent_micros, held_micros = EXCLUDED.held_micros
     RETURNING day::text AS day`,
    [agentId, spentMicros, heldMicros],
  );
  return row.day;
}

type AuditRow = { action: string; target_id: string; actor_id: string; metadata: Record<string, unknown> };

async function auditEvents(workspaceId: string, prefix: string): Promise<AuditRow[]> {
  return query<AuditRow>(`SELECT action, target_id, actor_id::text AS actor_id, metadata FROM audit_events WHERE workspace_id = $1 AND action LIKE $2 ORDER BY seq`, [workspaceId, `${prefix}%`]);
}

async function openUsage(page: Page) {
  await page.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Usage" }).click();
  await expect(page.getByRole("heading", { name: "Agents", exact: true })).toBeVisible();
}

/** An agent's row, by its name cell (exact, so "Alpha" never matches "Alpha 2"). */
const agentRow = (page: Page, name: string) => page.getByTestId("agent-row").filter({ has: page.getByRole("cell", { name, exact: true }) });
const priceRow = (page: Page, model: string) => page.getByTestId("model-price-row").filter({ has: page.getByRole("cell", { name: model, exact: true }) });

test("an owner creates an agent through the form; a bad cap, an empty or taken name and an unknown zone are refused on the form and store nothing", async ({ browser }) => {
  const ws = await seedWorkspace({ owner: "owner" }, "agents-create");
  const { page } = await newClient(browser);
  await signIn(page, ws.users.owner.email, ws.password, { landsOn: new RegExp(`/w/${ws.slug}$`) });
  await openUsage(page);
  await expect(page.getByRole("heading", { name: "No agents yet" })).toBeVisible();

  await page.getByRole("button", { name: "New agent" }).click();
  const dialog = page.getByRole("dialog", { name: "New agent" });
  const name = dialog.getByLabel("Name");
  const cap = dialog.getByLabel("Daily cap (USD)");
  const zone = dialog.getByLabel("Time zone of the day");
  await expect(dialog.getByLabel("Alert thresholds (%)")).toHaveValue("50, 80, 100");
  await expect(dialog.getByLabel("A model without a price")).toHaveValue("deny");

  // Everything wrong at once: each field says what is wrong with it, and keeps what was typed.
  await cap.fill("abc");
  await zone.fill("Mars/Olympus_Mons");
  await dialog.getByRole("button", { name: "Create agent" }).click();
  await expect(dialog.getByRole("alert")).toHaveText("Check the highlighted fields.");
  await expect(name).toHaveAttribute("aria-invalid", "true");
  await expect(name).toHaveAccessibleDescription(/Enter a name for the agent/);
  await expect(cap).toHaveAccessibleDescription(/Enter an amount in dollars, e\.g\. 12\.50/);
  await expect(zone).toHaveAccessibleDescription(/Use an IANA time zone such as Europe\/Paris or UTC/);
  await expect(cap).toHaveValue("abc");
  await expect(zone).toHaveValue("Mars/Olympus_Mons");

  await name.fill("Support bot");
  await zone.fill("Europe/Paris");
  for (const [typed, message] of [
    ["-5", "Enter an amount that is not negative"],
    ["1.1234567", "Use at most 6 decimal places (a micro-dollar)"],
  ] as const) {
    await cap.fill(typed);
    await dialog.getByRole("button", { name: "Create agent" }).click();
    await expect(cap).toHaveAccessibleDescription(new RegExp(message.replace(/[().]/g, "\\$&")));
    await expect(cap).toHaveValue(typed);
    await expect(name).not.toHaveAttribute("aria-invalid", "true");
    await expect(zone).not.toHaveAttribute("aria-invalid", "true");
  }
  expect(await query(`SELECT 1 FROM agents WHERE workspace_id = $1`, [ws.workspaceId])).toHaveLength(0);

  await cap.fill("12.50");
  await dialog.getByLabel("Alert thresholds (%)").fill("25, 75, 100");
  await dialog.getByLabel("A model without a price").selectOption("allow");
  await dialog.getByRole("button", { name: "Create agent" }).click();
  await expect(dialog).toBeHidden();

  const row = agentRow(page, "Support bot");
  await expect(row.getByTestId("agent-state")).toHaveText("Active");
  await expect(row).toContainText("$0.00 spent of $12.50");
  await expect(row).toContainText("Europe/Paris");
  await expect(row.getByRole("meter")).toHaveAttribute("value", "0");
  const [stored] = await query<{ id: string; daily_cap_micros: string; time_zone: string; alert_thresholds: number[]; unpriced_policy: string; state: string; created_by_id: string }>(
    `SELECT id::text AS id, daily_cap_micros::text, time_zone, alert_thresholds, unpriced_policy, state, created_by_id::text FROM agents WHERE workspace_id = $1`,
    [ws.workspaceId],
  );
  expect(stored).toMatchObject({
    daily_cap_micros: "12500000",
    time_zone: "Europe/Paris",
    alert_thresholds: [25, 75, 100],
    unpriced_policy: "allow",
    state: "active",
    created_by_id: ws.users.owner.id,
  });

  // The same name again: refused on the Name field, and still one agent.
  await page.getByRole("button", { name: "New agent" }).click();
  await expect(name).toHaveValue("");
  await name.fill("Support bot");
  await cap.fill("5");
  await dialog.getByRole("button", { name: "Create agent" }).click();
  await expect(dialog.getByRole("alert")).toHaveText("This workspace already has an agent named Support bot.");
  await expect(name).toHaveAccessibleDescription("This workspace already has an agent named Support bot.");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("agent-row")).toHaveCount(1);
  expect(await query(`SELECT 1 FROM agents WHERE workspace_id = $1`, [ws.workspaceId])).toHaveLength(1);

  const events = await auditEvents(ws.workspaceId, "agent.");
  expect(events).toEqual([
    {
      action: "agent.created",
      target_id: stored.id,
      actor_id: ws.users.owner.id,
      metadata: { name: "Support bot", daily_cap: "12.50", time_zone: "Europe/Paris", alert_thresholds: [25, 75, 100], unpriced_policy: "allow" },
    },
  ]);
});

test("an owner renames, re-caps, pauses, resumes and archives an agent (archive asks first; Cancel leaves it); each change is audited with before and after", async ({ browser }) => {
  const ws = await seedWorkspace({ owner: "owner" }, "agents-edit");
  const agentId = await seedAgent(ws.workspaceId, { name: "Triage", capMicros: 10_000_000 });
  await seedAgent(ws.workspaceId, { name: "Escalation", capMicros: 1_000_000 });
  const { page } = await newClient(browser);
  await signIn(page, ws.users.owner.email, ws.password, { landsOn: new RegExp(`/w/${ws.slug}$`) });
  await openUsage(page);

  // Rename: an empty or taken name is refused on the field; a free one is taken.
  await agentRow(page, "Triage").getByRole("button", { name: "Rename" }).click();
  const rename = page.getByRole("dialog", { name: "Rename Triage" });
  await rename.getByLabel("Name").fill("");
  await rename.getByRole("button", { name: "Rename" }).click();
  await expect(rename.getByLabel("Name")).toHaveAccessibleDescription(/Enter a name for the agent/);
  await rename.getByLabel("Name").fill("Escalation");
  await rename.getByRole("button", { name: "Rename" }).click();
  await expect(rename.getByLabel("Name")).toHaveAccessibleDescription("This workspace already has an agent named Escalation.");
  await rename.getByLabel("Name").fill("Triage v2");
  await rename.getByRole("button", { name: "Rename" }).click();
  await expect(rename).toBeHidden();
  const row = agentRow(page, "Triage v2");
  await expect(row).toHaveCount(1);
  await expect(agentRow(page, "Triage")).toHaveCount(0);

  // The cap: a bad amount is refused on the field, a good one shows at once.
  await row.getByRole("button", { name: "Budget" }).click();
  const budget = page.getByRole("dialog", { name: "Budget of Triage v2" });
  await expect(budget.getByLabel("Daily cap (USD)")).toHaveValue("10.00");
  await budget.getByLabel("Daily cap (USD)").fill("20.1234567");
  await budget.getByRole("button", { name: "Save budget" }).click();
  await expect(budget.getByLabel("Daily cap (USD)")).toHaveAccessibleDescription(/Use at most 6 decimal places/);
  expect((await query<{ cap: string }>(`SELECT daily_cap_micros::text AS cap FROM agents WHERE id = $1`, [agentId]))[0].cap).toBe("10000000");
  await budget.getByLabel("Daily cap (USD)").fill("20");
  await budget.getByRole("button", { name: "Save budget" }).click();
  await expect(budget).toBeHidden();
  await expect(row).toContainText("$0.00 spent of $20.00");

  // Pause and resume: one click each (it can be undone), the state shows on the row.
  await row.getByRole("button", { name: "Pause" }).click();
  await expect(row.getByTestId("agent-state")).toHaveText("Paused");
  expect((await query<{ state: string }>(`SELECT state FROM agents WHERE id = $1`, [agentId]))[0].state).toBe("paused");
  await row.getByRole("button", { name: "Resume" }).click();
  await expect(row.getByTestId("agent-state")).toHaveText("Active");
  await expect(row.getByRole("button", { name: "Pause" })).toBeVisible();

  // Archive cannot be undone: it asks, naming the agent; Cancel leaves it live.
  await row.getByRole("button", { name: "Archive" }).click();
  const confirm = page.getByRole("dialog", { name: "Archive Triage v2?" });
  await expect(confirm).toContainText("Archiving cannot be undone");
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(confirm).toBeHidden();
  await expect(row.getByTestId("agent-state")).toHaveText("Active");
  expect((await query<{ state: string }>(`SELECT state FROM agents WHERE id = $1`, [agentId]))[0].state).toBe("active");
  await row.getByRole("button", { name: "Archive" }).click();
  await confirm.getByRole("button", { name: "Archive agent" }).click();
  await expect(row).toHaveCount(0);
  await expect(agentRow(page, "Escalation")).toHaveCount(1);
  const [archived] = await query<{ state: string; archived: boolean }>(`SELECT state, archived_at IS NOT NULL AS archived FROM agents WHERE id = $1`, [agentId]);
  expect(archived).toEqual({ state: "archived", archived: true });

  const events = await auditEvents(ws.workspaceId, "agent.");
  expect(events.every((e) => e.target_id === agentId && e.actor_id === ws.users.owner.id)).toBe(true);
  expect(events.map((e) => [e.action, e.metadata.before, e.metadata.after])).toEqual([
    ["agent.renamed", { name: "Triage" }, { name: "Triage v2" }],
    [
      "agent.budget_changed",
      { daily_cap: "10.00", time_zone: "UTC", alert_thresholds: [50, 80, 100], unpriced_policy: "deny" },
      { daily_cap: "20.00", time_zone: "UTC", alert_thresholds: [50, 80, 100], unpriced_policy: "deny" },
    ],
    ["agent.budget_changed", { state: "active" }, { state: "paused" }],
    ["agent.budget_changed", { state: "paused" }, { state: "active" }],
    ["agent.budget_changed", { state: "active" }, { state: "archived" }],
  ]);
});

test("a developer (agents.manage without budgets.write) creates and renames agents but sees no cap, state or price controls; a viewer sees usage with no controls at all", async ({ browser }) => {
  const ws = await seedWorkspace({ dev: "developer", viewer: "viewer" }, "agents-roles");
  const agentId = await seedAgent(ws.workspaceId, { name: "Reporter", capMicros: 3_000_000 });
  await seedToday(agentId, 1_500_000, 0);

  const dev = await newClient(browser);
  await signIn(dev.page, ws.users.dev.email, ws.password, { landsOn: new RegExp(`/w/${ws.slug}$`) });
  await openUsage(dev.page);
  const devRow = agentRow(dev.page, "Reporter");
  await expect(devRow).toContainText("$1.50 spent of $3.00");
  for (const control of ["Budget", "Pause", "Resume", "Archive"]) {
    await expect(devRow.getByRole("button", { name: control, exact: true })).toHaveCount(0);
  }
  await expect(dev.page.getByRole("button", { name: "Edit", exact: true })).toHaveCount(0);
  await expect(dev.page.getByRole("button", { name: "Add a model" })).toHaveCount(0);
  await expect(priceRow(dev.page, "gpt-4o")).toHaveCount(1);

  await devRow.getByRole("button", { name: "Rename" }).click();
  const rename = dev.page.getByRole("dialog", { name: "Rename Reporter" });
  await rename.getByLabel("Name").fill("Weekly reporter");
  await rename.getByRole("button", { name: "Rename" }).click();
  await expect(rename).toBeHidden();
  await expect(agentRow(dev.page, "Weekly reporter")).toHaveCount(1);
  await dev.page.getByRole("button", { name: "New agent" }).click();
  const create = dev.page.getByRole("dialog", { name: "New agent" });
  await create.getByLabel("Name").fill("Drafts");
  await create.getByLabel("Daily cap (USD)").fill("2.5");
  await create.getByRole("button", { name: "Create agent" }).click();
  await expect(create).toBeHidden();
  await expect(agentRow(dev.page, "Drafts")).toContainText("$0.00 spent of $2.50");
  expect((await auditEvents(ws.workspaceId, "agent.")).map((e) => [e.action, e.actor_id])).toEqual([
    ["agent.renamed", ws.users.dev.id],
    ["agent.created", ws.users.dev.id],
  ]);

  // Every role reads usage (usage.read includes viewers): the page shows, read-only.
  const viewer = await newClient(browser);
  await signIn(viewer.page, ws.users.viewer.email, ws.password, { landsOn: new RegExp(`/w/${ws.slug}$`) });
  await openUsage(viewer.page);
  await expect(viewer.page.getByRole("heading", { name: "Your role does not see usage" })).toHaveCount(0);
  await expect(agentRow(viewer.page, "Weekly reporter")).toContainText("$1.50 spent of $3.00");
  await expect(agentRow(viewer.page, "Weekly reporter").getByRole("meter")).toHaveAttribute("value", "50");
  await expect(priceRow(viewer.page, "gpt-4o")).toHaveCount(1);
  for (const control of ["New agent", "Rename", "Budget", "Pause", "Archive", "Edit", "Add a model"]) {
    await expect(viewer.page.getByRole("button", { name: control, exact: true })).toHaveCount(0);
  }
});

test("an agent whose day has spent + held at the cap is halted for today; raising the cap makes it active again", async ({ browser }) => {
  const ws = await seedWorkspace({ owner: "owner" }, "agents-halt");
  // A zone far from UTC: the day that counts is the agent's own.
  const agentId = await seedAgent(ws.workspaceId, { name: "Night shift", capMicros: 5_000_000, timeZone: "Pacific/Kiritimati" });
  const today = await seedToday(agentId, 4_000_000, 1_000_000);
  // Yesterday in its zone was also spent out; it does not count today.
  await query(`INSERT INTO agent_days (workspace_id, agent_id, day, spent_micros) VALUES ($1, $2, $3::date - 1, 9000000)`, [ws.workspaceId, agentId, today]);
  const { page } = await newClient(browser);
  await signIn(page, ws.users.owner.email, ws.password, { landsOn: new RegExp(`/w/${ws.slug}$`) });
  await openUsage(page);

  const row = agentRow(page, "Night shift");
  await expect(row.getByTestId("agent-state")).toHaveText("Halted for today");
  await expect(row).toContainText("$4.00 spent + $1.00 held of $5.00");
  await expect(row.getByRole("cell", { name: /^Pacific\/Kiritimati/ })).toContainText(today);
  await expect(row.getByRole("meter")).toHaveAttribute("value", "100");

  await row.getByRole("button", { name: "Budget" }).click();
  const budget = page.getByRole("dialog", { name: "Budget of Night shift" });
  await budget.getByLabel("Daily cap (USD)").fill("8");
  await budget.getByRole("button", { name: "Save budget" }).click();
  await expect(budget).toBeHidden();
  await expect(row.getByTestId("agent-state")).toHaveText("Active");
  await expect(row).toContainText("$4.00 spent + $1.00 held of $8.00");
  await expect(row.getByRole("meter")).toHaveAttribute("value", "62");

  const [event] = await auditEvents(ws.workspaceId, "agent.budget_changed");
  expect(event.metadata).toMatchObject({ name: "Night shift", before: { daily_cap: "5.00" }, after: { daily_cap: "8.00", time_zone: "Pacific/Kiritimati" } });
});

test("the meter shows today's spend and holds against the cap, with the agent's thresholds as its low and high marks", async ({ browser }) => {
  const ws = await seedWorkspace({ owner: "owner" }, "agents-meter");
  const busy = await seedAgent(ws.workspaceId, { name: "Busy", capMicros: 12_500_000, thresholds: [25, 60, 90] });
  await seedAgent(ws.workspaceId, { name: "Idle", capMicros: 4_000_000 });
  await seedToday(busy, 3_125_000, 1_250_000);
  const { page } = await newClient(browser);
  await signIn(page, ws.users.owner.email, ws.password, { landsOn: new RegExp(`/w/${ws.slug}$`) });
  await openUsage(page);

  const meter = agentRow(page, "Busy").getByRole("meter", { name: "Busy: 35% of today's cap" });
  await expect(meter).toHaveAttribute("value", "35");
  await expect(meter).toHaveAttribute("min", "0");
  await expect(meter).toHaveAttribute("max", "100");
  await expect(meter).toHaveAttribute("low", "25");
  await expect(meter).toHaveAttribute("high", "89.5");
  await expect(agentRow(page, "Busy")).toContainText("$3.125 spent + $1.25 held of $12.50");
  await expect(agentRow(page, "Busy").getByTestId("agent-state")).toHaveText("Active");
  await expect(agentRow(page, "Idle").getByRole("meter", { name: "Idle: 0% of today's cap" })).toHaveAttribute("value", "0");
  await expect(agentRow(page, "Idle")).toContainText("$0.00 spent of $4.00");

  // More spend (the holds captured): the meter follows on the next view.
  await seedToday(busy, 12_000_000, 0);
  await page.reload();
  await expect(agentRow(page, "Busy").getByRole("meter", { name: "Busy: 96% of today's cap" })).toHaveAttribute("value", "96");
  await expect(agentRow(page, "Busy")).toContainText("$12.00 spent of $12.50");
});

test("an owner edits a model's price (a bad price is refused on the form and stores nothing) and adds a model; each change is audited as pricing.changed", async ({ browser }) => {
  const ws = await seedWorkspace({ owner: "owner" }, "prices");
  const { page } = await newClient(browser);
  await signIn(page, ws.users.owner.email, ws.password, { landsOn: new RegExp(`/w/${ws.slug}$`) });
  await openUsage(page);
  const row = priceRow(page, "gpt-4o");
  await expect(row).toContainText("$2.50");
  await expect(row).toContainText("$10.00");
  await expect(row).toContainText("bundled:2025-06-01");

  await row.getByRole("button", { name: "Edit" }).click();
  const dialog = page.getByRole("dialog", { name: "Price of gpt-4o" });
  const input = dialog.getByLabel("Input, USD per million tokens");
  const output = dialog.getByLabel("Output, USD per million tokens");
  await expect(input).toHaveValue("2.50");
  await input.fill("abc");
  await output.fill("-1");
  await dialog.getByRole("button", { name: "Save price" }).click();
  await expect(dialog.getByRole("alert")).toHaveText("Check the highlighted fields.");
  await expect(input).toHaveAccessibleDescription(/Enter an amount in dollars, e\.g\. 12\.50/);
  await expect(output).toHaveAccessibleDescription(/Enter an amount that is not negative/);
  expect(await query(`SELECT 1 FROM model_prices WHERE workspace_id = $1 AND source = 'manual'`, [ws.workspaceId])).toHaveLength(0);
  expect(await auditEvents(ws.workspaceId, "pricing.")).toHaveLength(0);

  await input.fill("3");
  await output.fill("12.5");
  await dialog.getByRole("button", { name: "Save price" }).click();
  await expect(dialog).toBeHidden();
  const today = new Date().toISOString().slice(0, 10);
  await expect(row).toContainText("$3.00");
  await expect(row).toContainText("$12.50");
  await expect(row).toContainText(today);
  await expect(row).toContainText("manual");
  await expect(row).toHaveCount(1);

  await page.getByRole("button", { name: "Add a model" }).click();
  const add = page.getByRole("dialog", { name: "Price of a model" });
  await add.getByLabel("Model", { exact: true }).fill("acme-large");
  await add.getByLabel("Input, USD per million tokens").fill("1.000001");
  await add.getByLabel("Output, USD per million tokens").fill("2");
  await add.getByRole("button", { name: "Save price" }).click();
  await expect(add).toBeHidden();
  await expect(priceRow(page, "acme-large")).toContainText("$1.000001");

  const stored = await query<{ model: string; input: string; output: string; effective_from: string; created_by_id: string }>(
    `SELECT model, input_micros_per_mtok::text AS input, output_micros_per_mtok::text AS output, effective_from::text, created_by_id::text
       FROM model_prices WHERE workspace_id = $1 AND source = 'manual' ORDER BY model`,
    [ws.workspaceId],
  );
  expect(stored).toEqual([
    { model: "acme-large", input: "1000001", output: "2000000", effective_from: today, created_by_id: ws.users.owner.id },
    { model: "gpt-4o", input: "3000000", output: "12500000", effective_from: today, created_by_id: ws.users.owner.id },
  ]);
  const events = await auditEvents(ws.workspaceId, "pricing.");
  expect(events.map((e) => [e.action, e.actor_id, e.metadata])).toEqual([
    [
      "pricing.changed",
      ws.users.owner.id,
      {
        model: "gpt-4o",
        effective_from: today,
        before: { input_per_mtok: "2.50", output_per_mtok: "10.00" },
        after: { input_per_mtok: "3.00", output_per_mtok: "12.50" },
      },
    ],
    [
      "pricing.changed",
      ws.users.owner.id,
      {
        model: "acme-large",
        effective_from: today,
        before: null,
        after: { input_per_mtok: "1.000001", output_per_mtok: "2.00" },
      },
    ],
  ]);
});
