import { mkdirSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { query, seedWorkspace } from "./support/seed";
import { signedInClient } from "./support/sign-in";

// The console around every page: usable on a phone, never a dead end, and showing
// each role only the sections it can use.

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };
const SHOTS = "test-results/console-shell";

const horizontalOverflow = (page: Page) => page.evaluate(() => document.scrollingElement!.scrollWidth - window.innerWidth);
const focusIsInOpenDialog = (page: Page) => page.evaluate(() => Boolean(document.querySelector("dialog[open]")?.contains(document.activeElement)));
const openUserMenu = (page: Page) => page.locator("summary", { hasText: "Open user menu" }).click();

test("on a phone the Menu button opens the navigation as a drawer: Tab stays inside, Escape closes it and focus returns, a link closes it", async ({ browser }) => {
  const ws = await seedWorkspace({ owner: "owner" }, "phone-nav");
  const { page, context } = await signedInClient(browser, ws.users.owner, ws.password, ws.slug, { viewport: PHONE });
  // The sidebar is not squeezed beside the page: it waits behind the button.
  await expect(page.getByRole("navigation", { name: "Workspace" })).toBeHidden();
  const menu = page.getByRole("button", { name: "Menu", exact: true });
  await expect(menu).toHaveAttribute("aria-expanded", "false");

  await menu.click();
  const drawer = page.getByRole("dialog", { name: "Menu" });
  await expect(drawer).toBeVisible();
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await expect(drawer.getByRole("navigation", { name: "Workspace" }).getByRole("link")).toHaveCount(8);
  for (let i = 0; i < 14; i++) {
    await page.keyboard.press("Tab");
    expect(await focusIsInOpenDialog(page), `after Tab ${i + 1}`).toBe(true);
  }
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press("Shift+Tab");
    expect(await focusIsInOpenDialog(page), `after Shift+Tab ${i + 1}`).toBe(true);
  }
  await page.keyboard.press("Escape");
  await expect(drawer).toBeHidden();
  await expect(menu).toBeFocused();

  await menu.click();
  await drawer.getByRole("link", { name: "Members" }).click();
  await expect(page).toHaveURL(new RegExp(`/w/${ws.slug}/members$`));
  await expect(drawer).toBeHidden();
  await expect(page.getByRole("heading", { name: "Members", level: 1 })).toBeVisible();
  await context.close();
});

test("at 390 px no main page is wider than the screen, in light and dark; the shell is photographed at 390 and 1440 px", async ({ browser }) => {
  // Every main page, twice (light and dark), plus screenshots: more than the default minute under load.
  test.slow();
  const ws = await seedWorkspace({ owner: "owner", admin: "admin", developer: "developer", viewer: "viewer" }, "narrow");
  const { page, context } = await signedInClient(browser, ws.users.owner, ws.password, ws.slug, { viewport: PHONE });
  mkdirSync(SHOTS, { recursive: true });
  const pages = {
    overview: `/w/${ws.slug}`,
    members: `/w/${ws.slug}/members`,
    roles: `/w/${ws.slug}/members/roles`,
    audit: `/w/${ws.slug}/audit`,
    "api-keys": `/w/${ws.slug}/api-keys`,
    security: `/w/${ws.slug}/security`,
    "account-security": "/account/security",
    "account-sessions": "/account/sessions",
  };
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const [name, path] of Object.entries(pages)) {
      await page.goto(path);
      await expect(page.locator("main h1")).toBeVisible();
      expect(await horizontalOverflow(page), `${name} (${scheme}) overflows by`).toBeLessThanOrEqual(0);
      if (name === "overview" || name === "members" || name === "audit") {
        await page.screenshot({ path: `${SHOTS}/${name}-390-${scheme}.png`, fullPage: true });
      }
    }
    await page.goto(pages.overview);
    await page.getByRole("button", { name: "Menu", exact: true }).click();
    await page.screenshot({ path: `${SHOTS}/menu-open-390-${scheme}.png` });
  }
  await context.close();

  const wide = await signedInClient(browser, ws.users.owner, ws.password, ws.slug, { viewport: DESKTOP });
  for (const scheme of ["light", "dark"] as const) {
    await wide.page.emulateMedia({ colorScheme: scheme });
    for (const name of ["overview", "members"] as const) {
      await wide.page.goto(pages[name]);
      await expect(wide.page.getByRole("navigation", { name: "Workspace" })).toBeVisible();
      await expect(wide.page.getByRole("button", { name: "Menu", exact: true })).toBeHidden();
      await wide.page.screenshot({ path: `${SHOTS}/${name}-1440-${scheme}.png`, fullPage: true });
    }
  }
  await wide.context.close();
});

test("a member removed from their only workspace is told so under a header with their account, and can sign out", async ({ browser }) => {
  const ws = await seedWorkspace({ owner: "owner", gone: "developer" }, "removed");
  const { page, context } = await signedInClient(browser, ws.users.gone, ws.password, ws.slug, { viewport: PHONE });
  // The owner removes them (the members page's own flow is covered in members.spec.ts).
  await query(`DELETE FROM memberships WHERE workspace_id = $1 AND user_id = $2`, [ws.workspaceId, ws.users.gone.id]);

  await page.goto(`/w/${ws.slug}/members`);
  await expect(page.getByRole("heading", { name: "This page does not exist, or you are not a member of its workspace" })).toBeVisible();
  await expect(page.getByText("You are not a member of any workspace. Ask an owner for an invitation")).toBeVisible();
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  await page.goto("/");
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("heading", { name: "You are not in any workspace" })).toBeVisible();
  await expect(page.getByText("Ask an owner for an invitation")).toBeVisible();

  await openUserMenu(page);
  await expect(page.getByText(ws.users.gone.email)).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in\?reason=signed_out$/);
  await expect(page.getByRole("status").filter({ hasText: "You signed out." })).toBeVisible();
  await context.close();
});

test("after an owner's Revoke all, a member's device lands on sign-in saying an owner ended all sessions, naming nobody", async ({ browser }) => {
  const ws = await seedWorkspace({ owner: "owner", member: "developer" }, "revoked");
  const owner = await signedInClient(browser, ws.users.owner, ws.password, ws.slug);
  const member = await signedInClient(browser, ws.users.member, ws.password, ws.slug);

  await owner.page.goto(`/w/${ws.slug}/security`);
  await owner.page.getByRole("button", { name: "Revoke all sessions" }).click();
  await owner.page.getByRole("dialog").getByRole("button", { name: "Sign everyone out" }).click();
  await expect(owner.page.getByRole("status").filter({ hasText: /^Ended \d+ sessions? of \d+ members?\.$/ })).toBeVisible();

  await member.page.goto(`/w/${ws.slug}/api-keys`);
  await expect(member.page).toHaveURL(/\/sign-in\?.*reason=revoked_by_owner/);
  const notice = member.page.getByRole("status").filter({ hasText: "An owner ended all sessions in your workspace. Sign in again." });
  await expect(notice).toBeVisible();
  await expect(notice).not.toContainText(ws.users.owner.email);
  // The code only chooses among fixed sentences: other words in the URL put nothing on the page.
  for (const forged of ["Your+account+was+hacked", "constructor", "revoked_by_owner&reason=expired"]) {
    await member.page.goto(`/sign-in?reason=${forged}`);
    await expect(member.page.getByRole("button", { name: "Sign in" })).toBeVisible();
    await expect(member.page.getByRole("status").filter({ hasText: /\S/ })).toHaveCount(0);
  }
  await owner.context.close();
  await member.context.close();
});

test("after a password change on one device, the other lands on sign-in saying the password was changed", async ({ browser }) => {
  const ws = await seedWorkspace({ owner: "owner" }, "pw-reason");
  const other = await signedInClient(browser, ws.users.owner, ws.password, ws.slug);
  const self = await signedInClient(browser, ws.users.owner, ws.password, ws.slug);
  await self.page.goto("/account/security");
  await self.page.getByLabel("Current password").fill(ws.password);
  await self.page.getByLabel("New password").fill("another long e2e passphrase");
  await self.page.getByRole("button", { name: "Change password" }).click();
  await expect(self.page.getByRole("status").filter({ hasText: "Password changed." })).toBeVisible();

  await other.page.goto(`/w/${ws.slug}/members`);
  await expect(other.page).toHaveURL(/\/sign-in\?.*reason=password_changed/);
  await expect(other.page.getByRole("status").filter({ hasText: "Your password was changed" })).toBeVisible();
  await other.context.close();
  await self.context.close();
});

test("each role's navigation lists only the sections it can use; a viewer opening an owner's page directly is still refused", async ({ browser }) => {
  const ws = await seedWorkspace({ owner: "owner", developer: "developer", viewer: "viewer" }, "nav-role");
  const expected = {
    owner: ["Overview", "Members", "Security", "Audit log", "API keys", "Usage", "Secrets", "Settings"],
    developer: ["Overview", "Members", "API keys", "Usage", "Secrets"],
    viewer: ["Overview", "Members", "Usage"],
  };
  for (const [key, links] of Object.entries(expected) as [keyof typeof expected, string[]][]) {
    const { page, context } = await signedInClient(browser, ws.users[key], ws.password, ws.slug);
    await expect(page.getByRole("navigation", { name: "Workspace" }).getByRole("link")).toHaveText(links);
    if (key === "viewer") {
      await page.goto(`/w/${ws.slug}/audit`);
      await expect(page.getByRole("heading", { name: "Audit log", level: 1 })).toBeVisible();
      await expect(page.getByRole("table")).toHaveCount(0);
    }
    await context.close();
  }
});

test("the favicon answers 200 and every page links it", async ({ page, request }) => {
  const icon = await request.get("/favicon.ico");
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toMatch(/image\/(x-icon|vnd\.microsoft\.icon)/);
  await page.goto("/sign-in");
  await expect(page.locator('link[rel="icon"][href^="/favicon.ico"]')).toHaveCount(1);
});

test("the only owner's Leave button is off with its reason; a viewer's opens a left-aligned confirmation", async ({ browser }) => {
  const ws = await seedWorkspace({ owner: "owner", viewer: "viewer" }, "leave");
  const owner = await signedInClient(browser, ws.users.owner, ws.password, ws.slug);
  await owner.page.goto(`/w/${ws.slug}/members`);
  const leave = owner.page.getByRole("button", { name: "Leave workspace" });
  await expect(leave).toBeDisabled();
  await expect(leave).toHaveAccessibleDescription("You are this workspace's only owner, so you cannot leave it. Make someone else an owner first.");
  await expect(owner.page.getByText("Make someone else an owner first.")).toBeVisible();
  await owner.context.close();

  const viewer = await signedInClient(browser, ws.users.viewer, ws.password, ws.slug);
  await viewer.page.goto(`/w/${ws.slug}/members`);
  await viewer.page.getByRole("button", { name: "Leave workspace" }).click();
  const dialog = viewer.page.getByRole("dialog");
  await expect(dialog).toContainText("You lose access at once.");
  expect(await dialog.evaluate((el) => getComputedStyle(el).textAlign)).toMatch(/^(left|start)$/);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await viewer.context.close();
});

test("the password form shows both fields' errors after one submit", async ({ browser }) => {
  const ws = await seedWorkspace({ owner: "owner" }, "pw-errors");
  const { page, context } = await signedInClient(browser, ws.users.owner, ws.password, ws.slug);
  await page.goto("/account/security");
  await page.getByLabel("Current password").fill("not my current password");
  await page.getByLabel("New password").fill("short");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByLabel("Current password")).toHaveAccessibleDescription("That is not your current password");
  await expect(page.getByLabel("New password")).toHaveAccessibleDescription(/Use at least 12 characters/);
  await expect(page.getByLabel("Current password")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("New password")).toHaveAttribute("aria-invalid", "true");
  await context.close();
});
