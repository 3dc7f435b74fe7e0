import { expect, test } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { query, seedWorkspace } from "./support/seed";
import { formAlert, newClient, signIn, signedInClient } from "./support/sign-in";

// A workspace's life in the console: created from the switcher by a member of
// another one, who lands in it as its owner; renamed, moved to a new address (the
// old one answers 404), given an audit retention and PII redaction; and every
// step read back in its audit log.

test("create a workspace from the switcher, then rename it, move it, set retention and redaction, and find each change in its audit log", async ({ browser }) => {
  const home = await seedWorkspace({ olga: "owner" }, "wsset");
  const { page } = await signedInClient(browser, home.users.olga, home.password, home.slug);

  // Create: a taken slug is said on its field; a free one lands in the new workspace.
  const sidebar = page.locator("aside");
  await sidebar.getByRole("button", { name: "+ Create workspace" }).click();
  const dialog = page.getByRole("dialog", { name: "Create a workspace" });
  await dialog.getByLabel("Name").fill("Northwind Labs");
  await dialog.getByLabel("Slug").fill(home.slug);
  await dialog.getByLabel("Time zone").fill("Europe/Paris");
  await dialog.getByRole("button", { name: "Create workspace" }).click();
  await expect(dialog.getByText(`The address /w/${home.slug} is taken`)).toBeVisible();
  const slug = `northwind-${randomUUID().slice(0, 8)}`;
  await dialog.getByLabel("Slug").fill(slug);
  await dialog.getByRole("button", { name: "Create workspace" }).click();
  await expect(page).toHaveURL(new RegExp(`/w/${slug}$`));
  await expect(page.getByText("Northwind Labs · owner")).toBeVisible();
  const [created] = await query<{ id: string; time_zone: string }>(`SELECT id::text, time_zone FROM workspaces WHERE slug = $1`, [slug]);
  expect(created.time_zone).toBe("Europe/Paris");

  // Rename.
  await sidebar.getByRole("link", { name: "Settings" }).click();
  await expect(page).toHaveURL(new RegExp(`/w/${slug}/settings$`));
  const nameSection = page.getByRole("region", { name: "Name", exact: true });
  await nameSection.getByLabel("Workspace name").fill("Northwind Research");
  await nameSection.getByRole("button", { name: "Rename" }).click();
  await expect(nameSection.getByRole("status")).toHaveText("The workspace is now called “Northwind Research”.");
  await expect(page.getByText("Northwind Research · owner")).toBeVisible();

  // Move: the form warns that old links break; the page follows to the new address and the old one is a 404.
  const slugSection = page.getByRole("region", { name: "Address (slug)" });
  await expect(slugSection).toContainText(`every address under /w/${slug}/… answers 404`);
  const moved = `nw-${randomUUID().slice(0, 8)}`;
  await slugSection.getByLabel("Slug").fill("Not A Slug!");
  await slugSection.getByRole("button", { name: "Change address" }).click();
  await expect(slugSection.getByText("Use 1–48 lowercase letters")).toBeVisible();
  await slugSection.getByLabel("Slug").fill(moved);
  await slugSection.getByRole("button", { name: "Change address" }).click();
  await expect(page).toHaveURL(new RegExp(`/w/${moved}/settings\\?moved-from=${slug}$`));
  await expect(page.getByText(`The workspace's address is now /w/${moved}. Links to /w/${slug}/… answer 404.`)).toBeVisible();
  const gone = await page.request.get(`/w/${slug}/settings`);
  expect(gone.status()).toBe(404);

  // Retention: 29 days is refused on its field; 45 is kept.
  const retention = page.getByRole("region", { name: "Audit retention" });
  await expect(retention.getByRole("radio", { name: "Keep forever" })).toBeChecked();
  await expect(retention.getByLabel("Days to keep")).toBeDisabled();
  await retention.getByRole("radio", { name: "Delete events older than a number of days" }).check();
  await retention.getByLabel("Days to keep").fill("29");
  await retention.getByRole("button", { name: "Save retention" }).click();
  await expect(retention.getByText("Keep events at least 30 and at most 36500 days")).toBeVisible();
  await retention.getByLabel("Days to keep").fill("45");
  await retention.getByRole("button", { name: "Save retention" }).click();
  await expect(retention.getByRole("status")).toHaveText("Audit retention saved.");

  // Redaction: off by default; email and card numbers on, with the keyboard.
  const redaction = page.getByRole("region", { name: "PII redaction" });
  for (const box of await redaction.getByRole("checkbox").all()) await expect(box).not.toBeChecked();
  await redaction.getByRole("checkbox", { name: "Email addresses" }).focus();
  await page.keyboard.press("Space");
  await redaction.getByRole("checkbox", { name: /Payment card numbers/ }).check();
  await redaction.getByRole("button", { name: "Save redaction" }).click();
  await expect(redaction.getByRole("status")).toHaveText("PII redaction saved.");
  await expect(formAlert(page)).toHaveCount(0);

  const [stored] = await query<{ name: string; audit_retention_days: number; pii_redaction: string[] }>(`SELECT name, audit_retention_days, pii_redaction FROM workspaces WHERE id = $1`, [created.id]);
  expect(stored).toEqual({ name: "Northwind Research", audit_retention_days: 45, pii_redaction: ["email", "card"] });

  // The audit log has each step, as labels in the table and as sentences in the details.
  await page.goto(`/w/${moved}/audit`);
  for (const action of ["workspace.created", "member.added", "workspace.renamed", "workspace.slug_changed", "workspace.settings_changed"]) {
    await expect(page.locator(`[data-testid="audit-action"][data-action="${action}"]`).first()).toBeVisible();
  }
  await expect(page.locator('[data-testid="audit-action"][data-action="workspace.settings_changed"]')).toHaveCount(2);
  const sentences = await query<{ id: string; action: string }>(`SELECT id::text, action FROM audit_events WHERE workspace_id = $1 AND action LIKE 'workspace.%' ORDER BY seq`, [created.id]);
  const expected: [string, string | RegExp][] = [
    ["workspace.renamed", "renamed the workspace “Northwind Labs” to “Northwind Research”"],
    ["workspace.slug_changed", `moved the workspace from /w/${slug} to /w/${moved}`],
    ["workspace.settings_changed", "changed the workspace's settings: audit retention forever → 45 days"],
    ["workspace.settings_changed", "changed the workspace's settings: PII redaction none → email, card"],
  ];
  const changes = sentences.filter((e) => e.action !== "workspace.created");
  expect(changes.map((e) => e.action)).toEqual(expected.map(([action]) => action));
  for (const [i, [, sentence]] of expected.entries()) {
    await page.goto(`/w/${moved}/audit?event=${changes[i].id}`);
    await expect(page.getByTestId("event-sentence").first()).toContainText(sentence);
  }
});

test("a person in no workspace creates one from the home page and lands in it as its owner", async ({ browser }) => {
  const ws = await seedWorkspace({ owner: "owner", left: "viewer" }, "wsnone");
  await query(`DELETE FROM memberships WHERE workspace_id = $1 AND user_id = $2`, [ws.workspaceId, ws.users.left.id]);
  const { page } = await newClient(browser, undefined, { timezoneId: "Asia/Tokyo" });
  await signIn(page, ws.users.left.email, ws.password, { landsOn: /\/$/ });
  await expect(page.getByRole("heading", { name: "You are not in any workspace" })).toBeVisible();
  await page.getByRole("button", { name: "+ Create workspace" }).click();
  const dialog = page.getByRole("dialog", { name: "Create a workspace" });
  // The browser's own zone is offered.
  await expect(dialog.getByLabel("Time zone")).toHaveValue("Asia/Tokyo");
  const slug = `own-${randomUUID().slice(0, 8)}`;
  await dialog.getByLabel("Name").fill("My Own");
  await dialog.getByLabel("Slug").fill(slug);
  await dialog.getByRole("button", { name: "Create workspace" }).click();
  await expect(page).toHaveURL(new RegExp(`/w/${slug}$`));
  await expect(page.getByText("My Own · owner")).toBeVisible();
  const [row] = await query<{ time_zone: string; role: string }>(`SELECT w.time_zone, m.role FROM workspaces w JOIN memberships m ON m.workspace_id = w.id WHERE w.slug = $1 AND m.user_id = $2`, [
    slug,
    ws.users.left.id,
  ]);
  expect(row).toEqual({ time_zone: "Asia/Tokyo", role: "owner" });
});
