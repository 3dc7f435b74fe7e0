import { expect, test } from "@playwright/test";
import { freshIp, query, seedWorkspace } from "./support/seed";
import { newClient, signIn } from "./support/sign-in";

// The API key form's PII redaction: a key that follows the workspace redacts what
// Settings say; a key with its own kinds, chosen in the form, redacts those
// instead, as the runtime sees through POST /api/v1/redact.

const SAMPLE = "Mail jane@example.com, SSN 123-45-6789.";

test("a key with its own PII redaction, made in the form, replaces the workspace's; a key that follows it does not", async ({ browser, baseURL }) => {
  const ws = await seedWorkspace({ owner: "owner" }, "key-redaction");
  await query(`UPDATE workspaces SET pii_redaction = ARRAY['email'] WHERE id = $1`, [ws.workspaceId]);
  const { page } = await newClient(browser);
  await signIn(page, ws.users.owner.email, ws.password, { landsOn: new RegExp(`/w/${ws.slug}$`) });
  await page.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "API keys" }).click();

  const form = page.getByRole("region", { name: "Create a key" });
  const redaction = form.getByRole("group", { name: "PII redaction" });
  const create = async (name: string, own: string[] | null) => {
    await form.getByLabel("Name", { exact: true }).fill(name);
    await form.getByRole("checkbox", { name: "runtime:usage" }).check();
    await expect(redaction.getByRole("radio", { name: "Follow the workspace" })).toBeChecked();
    // The kinds are offered only for a key with its own redaction.
    await expect(redaction.getByRole("checkbox")).toHaveCount(0);
    if (own) {
      await redaction.getByRole("radio", { name: "This key's own" }).check();
      await expect(redaction.getByRole("checkbox")).toHaveCount(4);
      for (const label of own) await redaction.getByRole("checkbox", { name: label }).check();
    }
    await form.getByRole("button", { name: "Create key" }).click();
    const shown = form.getByRole("status", { name: `Copy the key “${name}” now` }).getByTestId("new-api-key");
    await expect(shown).toBeVisible();
    return shown.inputValue();
  };

  const own = await create("SSN only", ["US Social Security numbers"]);
  const follows = await create("Follows the workspace", null);

  // The list says which keys have their own redaction.
  const rows = page.getByTestId("api-key-row");
  await expect(rows.filter({ hasText: "SSN only" }).getByTestId("api-key-redaction")).toHaveText("redacts ssn (its own)");
  await expect(rows.filter({ hasText: "Follows the workspace" }).getByTestId("api-key-redaction")).toHaveCount(0);

  const ip = freshIp();
  const redact = async (key: string) => {
    const response = await fetch(`${baseURL}/api/v1/redact`, {
      method: "POST",
      headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json", "X-Forwarded-For": ip },
      body: JSON.stringify({ text: SAMPLE }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as { text: string; kinds: string[] };
  };
  expect(await redact(own)).toMatchObject({ text: "Mail jane@example.com, SSN [REDACTED:ssn].", kinds: ["ssn"] });
  expect(await redact(follows)).toMatchObject({ text: "Mail [REDACTED:email], SSN 123-45-6789.", kinds: ["email"] });

  const keys = await query<{ name: string; pii_redaction_override: boolean; pii_redaction: string[] }>(
    `SELECT name, pii_redaction_override, pii_redaction FROM api_keys WHERE workspace_id = $1 ORDER BY name`,
    [ws.workspaceId],
  );
  expect(keys).toEqual([
    { name: "Follows the workspace", pii_redaction_override: false, pii_redaction: [] },
    { name: "SSN only", pii_redaction_override: true, pii_redaction: ["ssn"] },
  ]);
});
