import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { query, seedWorkspace } from "./support/seed";
import { appendAuditEvents } from "./support/audit-events";
import { newClient, signedInClient, submitSignIn } from "./support/sign-in";
import { codeAt, enrollAuthenticator, scanQr } from "./support/totp";

// What a person sees on a workspace's overview, on the way to MFA when the
// workspace requires it, and on the Security and Roles pages around them.

/** The page at a desktop and a phone width, kept with the test's results to look at. */
async function shoot(page: Page, info: TestInfo, name: string) {
  for (const width of [1440, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: info.outputPath(`${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 720 });
}

async function nameUsers(names: Record<string, string>) {
  for (const [id, name] of Object.entries(names)) await query(`UPDATE users SET name = $2 WHERE id = $1`, [id, name]);
}

test("an owner's overview shows the count, the role, recent events as sentences in their own time zone, and a prompt to enroll; after enrolling and requiring MFA of admins it names the admin who lacks it", async ({
  browser,
}, info) => {
  const ws = await seedWorkspace({ dave: "owner", eve: "viewer", frank: "admin" }, "overview");
  const { dave, eve, frank } = ws.users;
  await nameUsers({ [dave.id]: "Dave Owner", [eve.id]: "Eve Viewer", [frank.id]: "Frank Admin" });
  const [roleChange] = await appendAuditEvents(ws.workspaceId, [
    {
      actor: { type: "user", id: dave.id, label: dave.email },
      action: "member.role_changed",
      target: { type: "user", id: eve.id },
      metadata: { email: eve.email, before: { role: "viewer" }, after: { role: "admin" } },
      context: { ip: null, userAgent: null, requestId: null },
      occurredAt: new Date("2026-01-15T03:04:00Z"),
    },
  ]);

  const { page } = await signedInClient(browser, dave, ws.password, ws.slug, { timezoneId: "Asia/Tokyo", locale: "en-US" });
  await expect(page.getByTestId("member-count")).toHaveText("3");
  await expect(page.getByTestId("your-role")).toHaveText("owner");
  await expect(page.getByTestId("mfa-policy")).toHaveText("Policy: Nobody is required to use MFA.");
  await expect(page.getByRole("heading", { name: "Protect your account with two-factor authentication" })).toBeVisible();

  // The event reads as a sentence, at the viewer's own time (03:04 UTC is 12:04 in Tokyo), and opens in the audit log.
  const event = page.getByRole("link", { name: /Dave Owner changed Eve Viewer's role to admin/ });
  await expect(event).toContainText(/Jan 15, 2026, 12:04\sPM/);
  await expect(event).not.toContainText("UTC");
  await event.click();
  await expect(page).toHaveURL(new RegExp(`/w/${ws.slug}/audit\\?event=${roleChange.id}$`));
  await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();

  // The prompt leads to Account → Security.
  await page.goto(`/w/${ws.slug}`);
  await page.getByRole("link", { name: "Set up two-factor authentication" }).click();
  await expect(page).toHaveURL(/\/account\/security$/);
  await enrollAuthenticator(page);

  // Before saving, the policy form says who each choice would force to enroll.
  await page.goto(`/w/${ws.slug}/security`);
  const preview = page.getByTestId("policy-preview");
  await expect(preview).toContainText("Nobody will have to set up MFA");
  await page.getByLabel("Every member must use MFA").check();
  await expect(preview).toContainText("2 members without MFA");
  await expect(preview).toContainText("Eve Viewer");
  await expect(preview).toContainText("Frank Admin");
  await page.getByLabel("Owners and admins must use MFA").check();
  await expect(preview).toContainText("1 member without MFA");
  await expect(preview).toContainText("Frank Admin");
  await expect(preview).not.toContainText("Eve Viewer");
  await expect(preview).not.toContainText("Dave Owner");
  await shoot(page, info, "security-policy-preview");
  await page.getByRole("button", { name: "Save policy" }).click();
  await expect(page.getByText("Security policy saved.")).toBeVisible();

  await page.goto(`/w/${ws.slug}`);
  await expect(page.getByTestId("mfa-policy")).toHaveText("Policy: Owners and admins must use MFA.");
  await expect(page.getByRole("heading", { name: "Protect your account with two-factor authentication" })).toBeHidden();
  const lacking = page.getByTestId("lacking-mfa");
  await expect(lacking.getByRole("link")).toHaveCount(1);
  await expect(lacking).toContainText("Frank Admin");
  await shoot(page, info, "overview");
  await lacking.getByRole("link", { name: /Frank Admin/ }).click();
  await expect(page).toHaveURL(new RegExp(`/w/${ws.slug}/members\\?q=${encodeURIComponent(frank.email)}`));
  await expect(page.getByText(frank.email).first()).toBeVisible();
});

test("forced enrollment names the workspace and, once enrolled, returns to the page the person opened; the Roles page names capabilities in words", async ({ browser }, info) => {
  const ws = await seedWorkspace({ owner: "owner", frank: "admin" }, "enroll");
  const name = `Acme Agents ${ws.slug.slice(-4)}`;
  await query(`UPDATE workspaces SET mfa_policy = 'admins', name = $2 WHERE id = $1`, [ws.workspaceId, name]);

  const { page } = await newClient(browser);
  await submitSignIn(page, ws.users.frank.email, ws.password, `/w/${ws.slug}/members/roles`);
  await expect(page).toHaveURL(/\/account\/security\?required=/);
  const banner = page.getByText(`${name} requires two-factor authentication. Set it up to continue`);
  await expect(banner).toBeVisible();
  await expect(banner).not.toContainText(ws.slug);

  await page.getByRole("button", { name: "Set up authenticator app" }).click();
  const secret = new URL(await scanQr(page)).searchParams.get("secret")!;
  await page.getByLabel("Code from your app").fill(await codeAt(secret));
  await page.getByRole("button", { name: "Turn on" }).click();
  await expect(page.getByTestId("recovery-codes").locator("li")).toHaveCount(10);
  await page.getByRole("link", { name: `Continue to ${name}` }).click();
  await expect(page).toHaveURL(new RegExp(`/w/${ws.slug}/members/roles$`));

  await expect(page.getByRole("heading", { level: 1, name: "Roles" })).toBeVisible();
  await expect(page.getByTestId("capability-audit.read")).toContainText("Read the audit log");
  await expect(page.getByTestId("capability-api_keys.revoke_any")).toContainText("Revoke anyone's API keys");
  await expect(page.getByTestId("capability-audit.read")).not.toContainText("Not yet enabled");
  await expect(page.getByTestId("capability-secrets.reveal")).toContainText("always after a fresh MFA check");
  await expect(page.getByTestId("capability-secrets.reveal")).not.toContainText("Not yet enabled");
  await expect(page.getByTestId("capability-budgets.write")).not.toContainText("Not yet enabled");
  await expect(page.getByTestId("capability-workspace.delete")).not.toContainText("Not yet enabled");
  await shoot(page, info, "roles");
});

test("a refused policy keeps the choices made, and a refused password change keeps no password", async ({ browser }) => {
  const ws = await seedWorkspace({ owner: "owner" }, "keep");
  const { page } = await signedInClient(browser, ws.users.owner, ws.password, ws.slug);

  // Without MFA of their own, an owner cannot require it of owners: refused, and the form still shows what was chosen.
  await page.goto(`/w/${ws.slug}/security`);
  await page.getByLabel("Owners and admins must use MFA").check();
  await page.getByLabel("A check stays fresh for (minutes)").fill("15");
  await page.getByRole("button", { name: "Save policy" }).click();
  await expect(page.getByText("Set up two-factor authentication for yourself before requiring it of owners")).toBeVisible();
  await expect(page.getByLabel("Owners and admins must use MFA")).toBeChecked();
  await expect(page.getByLabel("A check stays fresh for (minutes)")).toHaveValue("15");

  await page.goto("/account/security");
  await page.getByLabel("Current password").fill("not my password at all");
  await page.getByLabel("New password").fill("a brand new long passphrase");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByLabel("Current password")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Current password")).toHaveValue("");
  await expect(page.getByLabel("New password")).toHaveValue("");
});
