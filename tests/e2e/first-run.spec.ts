import { expect, test } from "@playwright/test";
import { ownerDb, readState } from "./support/state";

// The instance's very first minutes: claim it with the printed token, land in the
// shell, sign out and back in, all under a nonce-based CSP with no violations.
test.describe.configure({ mode: "serial" });

test("setup with the printed token creates the owner, then /setup is gone", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (msg) => {
    if (/Content Security Policy|Refused to (execute|load|apply)/i.test(msg.text())) violations.push(msg.text());
  });

  // Before anyone exists, a protected page leads (through sign-in) to setup.
  await page.goto("/w/anything");
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole("heading", { name: "Set up Warden" })).toBeVisible();

  // A wrong token changes nothing and says why.
  await page.getByLabel("Setup token").fill("not-the-token");
  await page.getByLabel("Your name").fill("Ada Owner");
  await page.getByLabel("Email").fill("ada@example.test");
  await page.getByLabel("Password").fill("correct horse battery staple");
  await page.getByLabel("Workspace name").fill("Acme Agents");
  await expect(page.getByLabel("Workspace URL name")).toHaveValue("acme-agents");
  await page.getByRole("button", { name: "Create owner and workspace" }).click();
  await expect(page.getByText("That setup token is not the one the server printed").first()).toBeVisible();

  // What was typed survives the refusal, the setup token included; the password is typed again.
  await expect(page.getByLabel("Email")).toHaveValue("ada@example.test");
  await expect(page.getByLabel("Setup token")).toHaveValue("not-the-token");
  await expect(page.getByLabel("Workspace name")).toHaveValue("Acme Agents");
  await expect(page.getByLabel("Password")).toHaveValue("");
  await page.getByLabel("Setup token").fill(readState().setupToken);
  await page.getByLabel("Password").fill("correct horse battery staple");
  await page.getByRole("button", { name: "Create owner and workspace" }).click();
  await expect(page).toHaveURL(/\/w\/acme-agents$/);
  await expect(page.getByRole("navigation", { name: "Workspace" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Acme Agents" })).toBeVisible();
  await expect(page.getByTestId("member-count")).toHaveText("1");
  await expect(page.getByRole("link", { name: /created the workspace “Acme Agents”/ })).toBeVisible();

  // Every section of the shell answers with words, not errors.
  for (const [link, heading] of [
    ["Members", "Members"],
    ["Security", "Security"],
    ["Audit log", "Audit log"],
    ["Usage", "Usage"],
    ["Secrets", "Secrets"],
    ["Settings", "Settings"],
  ]) {
    await page.getByRole("link", { name: link, exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
  }

  // The setup's audit events carry who, from where and which request.
  const db = await ownerDb();
  const { rows } = await db.query(`SELECT actor_label, ip, request_id FROM audit_events WHERE action = 'workspace.created'`);
  await db.end();
  expect(rows).toHaveLength(1);
  expect(rows[0].actor_label).toBe("ada@example.test");
  expect(rows[0].ip).toBeTruthy();
  expect(rows[0].request_id).toMatch(/^[0-9a-f-]{36}$/);

  const afterSetup = await page.request.get("/setup");
  expect(afterSetup.status()).toBe(404);

  // Sign out, then sign in and return to the page asked for.
  await page.locator("summary", { hasText: "Open user menu" }).click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/w/acme-agents/audit");
  await expect(page).toHaveURL(/\/sign-in\?next=/);
  await page.getByLabel("Email").fill("ada@example.test");
  await page.getByLabel("Password").fill("wrong password here");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Invalid email or password" })).toBeVisible();
  await page.getByLabel("Password").fill("correct horse battery staple");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/w\/acme-agents\/audit$/);

  expect(violations).toEqual([]);
});

test("a return path to another origin is not honoured", async ({ page }) => {
  await page.goto("/sign-in?next=//evil.example/steal");
  await page.getByLabel("Email").fill("ada@example.test");
  await page.getByLabel("Password").fill("correct horse battery staple");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/localhost:\d+\/w\/acme-agents$/);
});
