import { expect, test } from "@playwright/test";
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { query, seedWorkspace } from "./support/seed";
import { newClient, signIn } from "./support/sign-in";
import { SERVER_LOG } from "./support/paths";

test("an owner creates a key and sees it once; it is listed by prefix; revoking after confirmation marks it revoked", async ({ browser }) => {
  const ws = await seedWorkspace({ owner: "owner" }, "keys");
  const { page, context } = await newClient(browser);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await signIn(page, ws.users.owner.email, ws.password, { landsOn: new RegExp(`/w/${ws.slug}$`) });
  await page.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "API keys" }).click();
  await expect(page.getByRole("heading", { name: "No API keys yet" })).toBeVisible();

  const form = page.getByRole("region", { name: "Create a key" });
  await form.getByRole("button", { name: "Create key" }).click();
  await expect(form.getByText("Enter a name for the key")).toBeVisible();
  await expect(form.getByText("Choose at least one scope")).toBeVisible();

  await form.getByLabel("Name").fill("SIEM export");
  await form.getByRole("checkbox", { name: "audit:read" }).check();
  await form.getByRole("combobox", { name: "Expires" }).selectOption({ label: "In 90 days" });
  await form.getByRole("button", { name: "Create key" }).click();

  const shown = form.getByTestId("new-api-key");
  const key = await shown.inputValue();
  expect(key).toMatch(/^wdn_live_[A-Za-z0-9_-]{32}$/);
  await expect(form.getByText("This is the only time the full key is shown.")).toBeVisible();
  await form.getByRole("button", { name: "Copy" }).click();
  await expect(form.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);

  const prefix = key.slice(0, "wdn_live_".length + 6);
  const row = page.getByTestId("api-key-row").filter({ hasText: "SIEM export" });
  await expect(row.getByTestId("api-key-prefix")).toHaveText(`${prefix}…`);
  await expect(row.getByTestId("api-key-status")).toHaveText("active");
  await expect(row).toContainText(ws.users.owner.email);
  await expect(row).toContainText("never");

  const [stored] = await query<{ prefix: string; key_hash: string }>(`SELECT prefix, key_hash FROM api_keys WHERE workspace_id = $1`, [ws.workspaceId]);
  expect(stored).toEqual({ prefix, key_hash: createHash("sha256").update(key).digest("hex") });

  // Once the page is loaded again, the key is nowhere in it.
  await page.reload();
  await expect(row.getByTestId("api-key-prefix")).toHaveText(`${prefix}…`);
  await expect(page.getByTestId("new-api-key")).toHaveCount(0);
  expect(await page.content()).not.toContain(key.slice(prefix.length));

  await row.getByRole("button", { name: "Revoke", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Revoke the key “SIEM export”?" });
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(row.getByTestId("api-key-status")).toHaveText("active");
  await row.getByRole("button", { name: "Revoke", exact: true }).click();
  await dialog.getByRole("button", { name: "Revoke key" }).click();
  await expect(page.getByText(`The key “SIEM export” (${prefix}…) is revoked.`)).toBeVisible();
  await expect(row.getByTestId("api-key-status")).toHaveText("revoked");
  await expect(row.getByRole("button", { name: "Revoke", exact: true })).toHaveCount(0);

  const events = await query<{ action: string }>(`SELECT action FROM audit_events WHERE workspace_id = $1 AND target_type = 'api_key' ORDER BY seq`, [ws.workspaceId]);
  expect(events.map((e) => e.action)).toEqual(["api_key.created", "api_key.revoked"]);
  expect(readFileSync(SERVER_LOG, "utf8")).not.toContain(key.slice(prefix.length));
});

test("a viewer is told who manages keys and sees no form", async ({ browser }) => {
  const ws = await seedWorkspace({ viewer: "viewer" }, "keys-viewer");
  const { page } = await newClient(browser);
  await signIn(page, ws.users.viewer.email, ws.password, { landsOn: new RegExp(`/w/${ws.slug}$`) });
  await page.goto(`/w/${ws.slug}/api-keys`);
  await expect(page.getByRole("heading", { name: "Your role does not manage API keys" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Create key" })).toHaveCount(0);
});

test("an admin is offered Revoke on their own key but not on an owner's, which says why instead", async ({ browser }) => {
  const ws = await seedWorkspace({ owner: "owner", admin: "admin" }, "keys-rights");
  for (const [name, creator] of [
    ["Owner export", ws.users.owner.id],
    ["Admin export", ws.users.admin.id],
  ] as const) {
    await query(`INSERT INTO api_keys (workspace_id, name, prefix, key_hash, scopes, created_by_id) VALUES ($1, $2, $3, $4, ARRAY['audit:read'], $5)`, [
      ws.workspaceId,
      name,
      `wdn_live_${randomBytes(3).toString("hex")}`,
      randomBytes(32).toString("hex"),
      creator,
    ]);
  }
  const { page } = await newClient(browser);
  await signIn(page, ws.users.admin.email, ws.password, { landsOn: new RegExp(`/w/${ws.slug}$`) });
  await page.goto(`/w/${ws.slug}/api-keys`);
  const owners = page.getByTestId("api-key-row").filter({ hasText: "Owner export" });
  const own = page.getByTestId("api-key-row").filter({ hasText: "Admin export" });
  await expect(owners.getByTestId("api-key-not-revocable")).toHaveText("Not yours to revoke");
  await expect(owners.getByRole("button", { name: "Revoke", exact: true })).toHaveCount(0);
  await expect(own.getByRole("button", { name: "Revoke", exact: true })).toBeVisible();
  await expect(own.getByTestId("api-key-not-revocable")).toHaveCount(0);
});
