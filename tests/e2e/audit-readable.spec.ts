import { expect, test } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { query, seedWorkspace } from "./support/seed";
import { appendAuditEvents } from "./support/audit-events";
import { signedInClient } from "./support/sign-in";

// An owner reads the audit log as sentences about people: names, not ids; labels,
// not codes. The ids and codes stay on hover and in the details, and the details
// never cover the table's columns.

async function team(label: string) {
  const ws = await seedWorkspace({ owner: "owner", admin: "admin", viewer: "viewer" }, label);
  const { admin, viewer } = ws.users;
  await query(`UPDATE users SET name = 'Dave Viewer' WHERE id = $1`, [viewer.id]);
  const actor = { type: "user" as const, id: admin.id, label: admin.email };
  const context = { ip: "203.0.113.7", userAgent: "audit-readable/1.0", requestId: `req-${randomUUID()}` };
  const [created, , changed] = await appendAuditEvents(ws.workspaceId, [
    { actor, action: "api_key.created", target: { type: "api_key", id: randomUUID() }, metadata: { name: "SIEM export", prefix: "wdn_1234" }, context },
    { actor, action: "member.invited", target: { type: "invitation", id: randomUUID() }, metadata: { email: "new.hire@example.test", role: "viewer" }, context },
    { actor, action: "member.role_changed", target: { type: "user", id: viewer.id }, metadata: { email: viewer.email, before: { role: "viewer" }, after: { role: "admin" } }, context },
  ]);
  return { ws, admin, viewer, created, changed };
}

test("an owner reads “Changed role” and Dave Viewer in the row, finds the action by typing “role”, and opens its details beside every column", async ({ browser }) => {
  const { ws, viewer, changed } = await team("audit-read");
  const owner = await signedInClient(browser, ws.users.owner, ws.password, ws.slug, { viewport: { width: 1440, height: 900 } });
  const { page } = owner;
  await page.goto(`/w/${ws.slug}/audit`);

  const rows = page.getByTestId("table-row");
  const roleRow = rows.filter({ has: page.getByTestId("audit-action").getByText("Changed role", { exact: true }) });
  await expect(roleRow).toHaveCount(1);
  await expect(roleRow.getByTestId("audit-target")).toHaveText("Dave Viewer");
  await expect(roleRow.getByTestId("audit-target")).toHaveAttribute("title", `${viewer.email} · user ${viewer.id}`);
  await expect(roleRow.getByTestId("audit-action")).toHaveAttribute("title", "member.role_changed");
  await expect(roleRow.getByTestId("audit-actor")).toHaveText("admin (admin)");
  await expect(rows.filter({ hasText: "Created API key" }).getByTestId("audit-target")).toHaveText("SIEM export");
  await expect(rows.filter({ hasText: "Invited member" }).getByTestId("audit-target")).toHaveText("new.hire@example.test");

  // The action filter finds the action by a word of its label, then by its code.
  const form = page.getByRole("form", { name: "Filter the audit log" });
  await form.getByTestId("actions-summary").click();
  const search = form.getByRole("searchbox", { name: "Find an action" });
  await search.fill("role");
  await expect(form.getByRole("checkbox", { name: "Changed role member.role_changed", exact: true })).toBeVisible();
  await expect(form.getByRole("checkbox", { name: /auth\.sign_in_succeeded/ })).toHaveCount(0);
  await search.fill("member.role");
  await search.press("Enter");
  await expect(form.getByRole("checkbox", { name: /\./ })).toHaveCount(1);
  await form.getByRole("checkbox", { name: "Changed role member.role_changed", exact: true }).check();
  await expect(form.getByTestId("actions-summary")).toHaveText("Changed role");
  await form.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL((url) => url.searchParams.getAll("action").join(",") === "member.role_changed");
  await expect(page.getByTestId("audit-action")).toHaveText(["Changed role"]);

  // The details say it in a sentence and keep the code and the id.
  await roleRow.getByRole("link", { name: `Details of event ${changed.seq}` }).click();
  const panel = page.getByTestId("event-details");
  await expect(panel.getByTestId("event-sentence")).toHaveText("admin (admin) changed Dave Viewer's role to admin");
  await expect(panel.getByTestId("event-action-code")).toHaveText("member.role_changed");
  await expect(panel.locator("dt", { hasText: /^Target$/ }).locator("xpath=following-sibling::dd[1]")).toContainText(`user ${viewer.id}`);

  // Every column header stays in view, inside the table's box, and clear of the panel.
  const panelBox = (await panel.boundingBox())!;
  const tableBox = (await page.getByRole("table").locator("xpath=..").boundingBox())!;
  const headers = page.getByRole("columnheader");
  await expect(headers).toHaveText(["Time", "Actor", "Action", "Target", "IP"]);
  for (const header of await headers.all()) {
    const box = (await header.boundingBox())!;
    expect(box.x + box.width, `${await header.textContent()} ends before the panel`).toBeLessThanOrEqual(panelBox.x);
    expect(box.x + box.width, `${await header.textContent()} is not scrolled out of the table's box`).toBeLessThanOrEqual(tableBox.x + tableBox.width + 0.5);
  }
  expect(panelBox.x + panelBox.width).toBeLessThanOrEqual(1440);
  await page.screenshot({ path: test.info().outputPath("audit-details-1440.png"), fullPage: false });
  await owner.context.close();
});

test("on a phone the details open as a full-width sheet that Escape and Close dismiss", async ({ browser }) => {
  const { ws, changed } = await team("audit-phone");
  const owner = await signedInClient(browser, ws.users.owner, ws.password, ws.slug, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const { page } = owner;
  await page.goto(`/w/${ws.slug}/audit`);
  await page.getByRole("link", { name: `Details of event ${changed.seq}` }).click();

  const sheet = page.getByRole("dialog", { name: "Event details" });
  await expect(sheet).toBeVisible();
  await expect(sheet.getByTestId("event-action-code")).toHaveText("member.role_changed");
  const box = (await sheet.boundingBox())!;
  expect(box.x).toBeLessThanOrEqual(0.5);
  expect(box.width).toBeGreaterThanOrEqual(389);
  await page.screenshot({ path: test.info().outputPath("audit-details-390.png") });

  await page.keyboard.press("Escape");
  await expect(page.getByTestId("event-details")).toHaveCount(0);
  await expect(page).toHaveURL((url) => !url.searchParams.has("event"));

  await page.getByRole("link", { name: `Details of event ${changed.seq}` }).click();
  await expect(sheet).toBeVisible();
  await sheet.getByRole("link", { name: "Close" }).click();
  await expect(page.getByTestId("event-details")).toHaveCount(0);
  await owner.context.close();
});
