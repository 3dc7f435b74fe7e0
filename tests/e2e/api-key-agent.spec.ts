import { expect, test, type Page } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { freshIp, query, seedWorkspace } from "./support/seed";
import { newClient, signIn } from "./support/sign-in";

// The API key form's Agent field: a key bound to one agent, created by a person
// through the form, acts for that agent only; the runtime's spend authorization
// for any other agent of the workspace is refused as if that agent did not exist.

async function seedAgent(workspaceId: string, name: string, archived = false): Promise<string> {
  const [row] = await query<{ id: string }>(`INSERT INTO agents (workspace_id, name, daily_cap_micros, state, archived_at) VALUES ($1, $2, 10000000, $3, $4) RETURNING id::text AS id`, [
    workspaceId,
    name,
    archived ? "archived" : "active",
    archived ? new Date() : null,
  ]);
  return row.id;
}

/** Fills and submits the create form; returns the key shown once. */
async function createRuntimeKey(page: Page, name: string, agentOption: string): Promise<string> {
  const form = page.getByRole("region", { name: "Create a key" });
  await form.getByLabel("Name", { exact: true }).fill(name);
  await form.getByRole("checkbox", { name: "runtime:spend" }).check();
  await form.getByLabel("Agent", { exact: true }).selectOption({ label: agentOption });
  await form.getByRole("button", { name: "Create key" }).click();
  // The notice naming this key (the previous key's notice stays until the answer replaces it).
  const shown = form.getByRole("status", { name: `Copy the key “${name}” now` }).getByTestId("new-api-key");
  await expect(shown).toBeVisible();
  await expect(form.getByTestId("new-api-key")).toHaveCount(1);
  const key = await shown.inputValue();
  expect(key).toMatch(/^wdn_live_/);
  return key;
}

test("a key bound to an agent through the form acts for that agent only; a key bound to none acts for every agent", async ({ browser, baseURL }) => {
  const ws = await seedWorkspace({ owner: "owner" }, "key-agent");
  const alpha = await seedAgent(ws.workspaceId, "Alpha");
  const beta = await seedAgent(ws.workspaceId, "Beta");
  await seedAgent(ws.workspaceId, "Retired", true);
  const { page } = await newClient(browser);
  await signIn(page, ws.users.owner.email, ws.password, { landsOn: new RegExp(`/w/${ws.slug}$`) });

  // The owner looks at the agents on the Usage page first (its first view also gives the workspace the bundled prices).
  await page.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Usage" }).click();
  await expect(page.getByTestId("agent-row")).toHaveCount(2);
  const [priced] = await query<{ model: string }>(`SELECT model FROM model_prices WHERE workspace_id = $1 ORDER BY model LIMIT 1`, [ws.workspaceId]);
  expect(priced, "a priced model in the workspace's table").toBeDefined();

  await page.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "API keys" }).click();
  const form = page.getByRole("region", { name: "Create a key" });
  const agentField = form.getByLabel("Agent", { exact: true });
  await expect(agentField).toHaveValue("");
  // Live agents only: an archived one is not offered.
  await expect(agentField.getByRole("option")).toHaveText(["Any agent", "Alpha only", "Beta only"]);

  // An agent archived after the page was loaded (in another tab, say) is refused on the field; nothing is created.
  await query(`UPDATE agents SET state = 'archived', archived_at = now() WHERE id = $1`, [beta]);
  await form.getByLabel("Name", { exact: true }).fill("Beta runtime");
  await form.getByRole("checkbox", { name: "runtime:spend" }).check();
  await agentField.selectOption({ label: "Beta only" });
  await form.getByRole("button", { name: "Create key" }).click();
  await expect(agentField).toHaveAccessibleDescription("Choose one of this workspace's agents (archived agents cannot be chosen).");
  await expect(agentField).toHaveAttribute("aria-invalid", "true");
  expect(await query(`SELECT 1 FROM api_keys WHERE workspace_id = $1`, [ws.workspaceId])).toHaveLength(0);
  await query(`UPDATE agents SET state = 'active', archived_at = NULL WHERE id = $1`, [beta]);

  const bound = await createRuntimeKey(page, "Alpha runtime", "Alpha only");
  await expect(form.getByLabel("Agent", { exact: true })).toHaveValue("");
  const unbound = await createRuntimeKey(page, "Shared runtime", "Any agent");
  expect(unbound).not.toBe(bound);

  const rows = page.getByTestId("api-key-row");
  await expect(rows.filter({ hasText: "Alpha runtime" }).getByTestId("api-key-agent")).toHaveText("Alpha");
  await expect(rows.filter({ hasText: "Shared runtime" }).getByTestId("api-key-agent")).toHaveText("any");
  await page.reload();
  await expect(rows.filter({ hasText: "Alpha runtime" }).getByTestId("api-key-agent")).toHaveText("Alpha");

  const keys = await query<{ id: string; name: string; scopes: string[]; agent_id: string | null }>(
    `SELECT id::text AS id, name, scopes, agent_id::text AS agent_id FROM api_keys WHERE workspace_id = $1 ORDER BY name`,
    [ws.workspaceId],
  );
  expect(keys.map(({ name, scopes, agent_id }) => ({ name, scopes, agent_id }))).toEqual([
    { name: "Alpha runtime", scopes: ["runtime:spend"], agent_id: alpha },
    { name: "Shared runtime", scopes: ["runtime:spend"], agent_id: null },
  ]);
  const [created] = await query<{ metadata: Record<string, unknown> }>(`SELECT metadata FROM audit_events WHERE workspace_id = $1 AND action = 'api_key.created' AND target_id = $2`, [
    ws.workspaceId,
    keys[0].id,
  ]);
  expect(created.metadata).toMatchObject({ agent: "Alpha", agent_id: alpha });

  // The runtime, as it calls Warden: its own address, an Idempotency-Key per call.
  const ip = freshIp();
  const authorize = async (key: string, agentId: string) => {
    const response = await fetch(`${baseURL}/api/v1/agents/${agentId}/authorizations`, {
      method: "POST",
      headers: { Authorization: `Bearer ${key}`, "Idempotency-Key": randomUUID(), "Content-Type": "application/json", "X-Forwarded-For": ip },
      body: JSON.stringify({ model: priced.model, input_tokens: 10, max_output_tokens: 10 }),
    });
    return { status: response.status, body: (await response.json()) as { id?: string; held?: string; error?: { code: string; reason?: string } } };
  };
  const holdsOf = async (agentId: string) =>
    query<{ id: string; api_key_id: string }>(`SELECT id::text AS id, api_key_id::text AS api_key_id FROM spend_holds WHERE agent_id = $1 ORDER BY created_at`, [agentId]);

  // Bound to Alpha: Beta does not exist for this key (404, as an unknown agent: the key learns nothing about Beta), and nothing is held.
  const refused = await authorize(bound, beta);
  expect(refused).toMatchObject({ status: 404, body: { error: { code: "not_found", reason: "agent_not_found" } } });
  expect(await holdsOf(beta)).toHaveLength(0);
  expect(await query(`SELECT 1 FROM agent_days WHERE agent_id = $1`, [beta])).toHaveLength(0);

  const admitted = await authorize(bound, alpha);
  expect(admitted.status, JSON.stringify(admitted.body)).toBe(201);
  expect(admitted.body.id).toMatch(/^[0-9a-f-]{36}$/);
  expect(await holdsOf(alpha)).toEqual([{ id: admitted.body.id, api_key_id: keys[0].id }]);

  // Bound to none: both agents.
  const forAlpha = await authorize(unbound, alpha);
  const forBeta = await authorize(unbound, beta);
  expect(forAlpha.status, JSON.stringify(forAlpha.body)).toBe(201);
  expect(forBeta.status, JSON.stringify(forBeta.body)).toBe(201);
  expect((await holdsOf(alpha)).map((h) => h.id)).toEqual([admitted.body.id, forAlpha.body.id]);
  expect(await holdsOf(beta)).toEqual([{ id: forBeta.body.id, api_key_id: keys[1].id }]);
});
