import { expect, test } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { query, seedWorkspace } from "./support/seed";
import { newClient, signIn } from "./support/sign-in";

test("an owner creates secrets (value hidden or shown while typing, never sent back), finds them through the URL, deletes one after a question and restores it", async ({ browser }) => {
  const ws = await seedWorkspace({ owner: "owner" }, "secrets");
  const marker = `e2e-secret-${randomUUID()}`;
  const { page } = await newClient(browser);
  await signIn(page, ws.users.owner.email, ws.password, { landsOn: new RegExp(`/w/${ws.slug}$`) });
  await page.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Secrets" }).click();
  await expect(page.getByRole("heading", { name: "No secrets yet" })).toBeVisible();

  // A refused form keeps every field but the value.
  await page.getByRole("button", { name: "New secret" }).click();
  const dialog = page.getByRole("dialog", { name: "New secret" });
  await dialog.getByLabel("Name").fill("not a name");
  const value = dialog.getByLabel("Value", { exact: true });
  await value.fill(marker);
  await expect(value).toHaveAttribute("type", "password");
  await dialog.getByRole("button", { name: "Show" }).click();
  await expect(value).toHaveAttribute("type", "text");
  await expect(value).toHaveValue(marker);
  await dialog.getByRole("button", { name: "Hide" }).click();
  await expect(value).toHaveAttribute("type", "password");
  await dialog.getByLabel("Description").fill("Token for the e2e agent");
  await dialog.getByLabel("Rotate every (days)").fill("30");
  await dialog.getByRole("button", { name: "Create secret" }).click();
  await expect(dialog.getByText("Use capital letters, digits and underscores")).toBeVisible();
  await expect(dialog.getByLabel("Name")).toHaveValue("not a name");
  await expect(dialog.getByLabel("Description")).toHaveValue("Token for the e2e agent");
  await expect(dialog.getByLabel("Rotate every (days)")).toHaveValue("30");
  await expect(dialog.getByLabel("Value", { exact: true })).toHaveValue("");
  expect(await page.content()).not.toContain(marker);

  await dialog.getByLabel("Name").fill("E2E_TOKEN");
  await dialog.getByLabel("Value", { exact: true }).fill(marker);
  await dialog.getByRole("button", { name: "Create secret" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("secret-created")).toContainText("E2E_TOKEN");
  const rows = page.getByTestId("table-row");
  await expect(rows.filter({ hasText: "E2E_TOKEN" })).toContainText("Token for the e2e agent");
  await expect(rows.filter({ hasText: "E2E_TOKEN" }).getByRole("link", { name: "E2E_TOKEN" })).toHaveAttribute("href", /\/secrets\/[0-9a-f-]{36}$/);

  // The same name again in the same environment: the conflict, said plainly.
  await page.getByRole("button", { name: "New secret" }).click();
  await dialog.getByLabel("Name").fill("E2E_TOKEN");
  await dialog.getByLabel("Value", { exact: true }).fill(marker);
  await dialog.getByRole("button", { name: "Create secret" }).click();
  await expect(dialog.getByRole("alert")).toHaveText("A secret named E2E_TOKEN already exists in production.");
  await expect(dialog.getByLabel("Value", { exact: true })).toHaveValue("");
  // In staging it is another secret.
  await dialog.getByLabel("Environment").selectOption({ label: "staging" });
  await dialog.getByLabel("Name").fill("STAGING_KEY");
  await dialog.getByLabel("Value", { exact: true }).fill("staging-value");
  await dialog.getByRole("button", { name: "Create secret" }).click();
  await expect(dialog).toBeHidden();
  await expect(rows).toHaveCount(2);

  // Search and filters live in the URL.
  await page.getByRole("searchbox", { name: "Search" }).fill("e2e agent");
  await expect(page).toHaveURL(/q=e2e\+agent/);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("E2E_TOKEN");
  await page.goto(`/w/${ws.slug}/secrets?env=staging&sort=nonsense&page=-1`);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("STAGING_KEY");
  await expect(page.getByRole("combobox", { name: "Environment" })).toHaveValue("staging");

  // Delete asks first, naming the secret; Cancel changes nothing.
  await page.goto(`/w/${ws.slug}/secrets`);
  const token = rows.filter({ hasText: "E2E_TOKEN" });
  await token.getByRole("button", { name: "Delete" }).click();
  const confirm = page.getByRole("dialog", { name: "Delete E2E_TOKEN?" });
  await expect(confirm).toContainText("production");
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(token).toHaveCount(1);
  await token.getByRole("button", { name: "Delete" }).click();
  await confirm.getByRole("button", { name: "Delete E2E_TOKEN" }).click();
  await expect(page.getByTestId("secret-notice")).toContainText("Deleted E2E_TOKEN from production");
  await expect(token).toHaveCount(0);

  await page.getByRole("link", { name: "Deleted" }).click();
  await expect(page).toHaveURL(/view=deleted/);
  await expect(rows.filter({ hasText: "E2E_TOKEN" })).toHaveCount(1);
  await rows.filter({ hasText: "E2E_TOKEN" }).getByRole("button", { name: "Restore E2E_TOKEN in production" }).click();
  await expect(page.getByTestId("secret-notice")).toContainText("Restored E2E_TOKEN in production");
  await expect(rows.filter({ hasText: "E2E_TOKEN" })).toHaveCount(0);
  await page.getByRole("link", { name: "Secrets", exact: true }).last().click();
  await expect(rows.filter({ hasText: "E2E_TOKEN" })).toHaveCount(1);
  expect(await page.content()).not.toContain(marker);

  const events = await query<{ action: string }>(`SELECT action FROM audit_events WHERE workspace_id = $1 AND target_type = 'secret' ORDER BY seq`, [ws.workspaceId]);
  expect(events.map((e) => e.action)).toEqual(["secret.created", "secret.created", "secret.deleted", "secret.restored"]);
});
