import { expect, test } from "@playwright/test";
import { seedWorkspace } from "./support/seed";
import { expectSignedOut, newClient, signedInClient, signIn } from "./support/sign-in";
import { chooseMemberAction } from "./support/member-menu";

// A member who lost their password gets back in through a one-time link that an
// owner issues from the members table; the link ends every session, works once,
// and the member is told about it in the app until they dismiss the notice.

test("an owner issues a reset link; the member sets a strong password with it, is told in the app, and the link works once", async ({ browser }) => {
  const ws = await seedWorkspace({ owner: "owner", member: "developer" }, "recover");
  const member = ws.users.member;
  const forgotten = await signedInClient(browser, member, ws.password, ws.slug);

  const owner = await signedInClient(browser, ws.users.owner, ws.password, ws.slug);
  await owner.page.goto(`/w/${ws.slug}/members?q=${encodeURIComponent(member.email)}`);
  await chooseMemberAction(owner.page, member.email, "Issue reset link…");
  const dialog = owner.page.getByRole("dialog", { name: `Reset link for ${member.email}` });
  await expect(dialog.getByTestId("reset-mfa-plan")).toHaveText(/MFA will not be cleared/);
  await dialog.getByLabel(/Also clear their two-factor authentication/).check();
  await expect(dialog.getByTestId("reset-mfa-plan")).toHaveText(/MFA will be cleared when the link is used/);
  await dialog.getByRole("button", { name: "Issue reset link" }).click();
  const link = await dialog.getByTestId("reset-link").inputValue();
  expect(link).toMatch(/\/reset\/[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/);
  await expect(dialog.getByTestId("reset-mfa-outcome")).toHaveText(/no two-factor authentication, so there was nothing to clear/);

  const device = await newClient(browser);
  await device.page.goto(new URL(link).pathname);
  await expect(device.page.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
  await device.page.getByLabel("New password").fill("password123456");
  await device.page.getByRole("button", { name: "Set new password" }).click();
  await expect(device.page.getByText(/common password with a small change\. Try a passphrase/)).toBeVisible();
  const newPassword = "tangerine ladder orbit fifty";
  await device.page.getByLabel("New password").fill(newPassword);
  await device.page.getByRole("button", { name: "Set new password" }).click();
  await expect(device.page).toHaveURL(/\/reset\/done$/);
  await expect(device.page.getByText("Your new password is set and every device was signed out.")).toBeVisible();

  // Every session ended, including the one already open elsewhere.
  await expectSignedOut(forgotten.page, `/w/${ws.slug}`);
  await signIn(device.page, member.email, newPassword, { landsOn: new RegExp(`/w/${ws.slug}$`) });
  const notice = device.page.getByTestId("security-notice").filter({ hasText: "Your password was reset with a recovery link" });
  await expect(notice).toBeVisible();
  await notice.getByRole("button", { name: "Dismiss" }).click();
  await expect(notice).toHaveCount(0);
  await device.page.reload();
  await expect(device.page.getByTestId("security-notice")).toHaveCount(0);

  // Used once; garbage is "not valid", never an error page.
  const again = await newClient(browser);
  await again.page.goto(new URL(link).pathname);
  await expect(again.page.getByRole("heading", { name: "Link already used" })).toBeVisible();
  for (const garbage of ["/reset/garbage", "/reset/%00", `/reset/${"0".repeat(36)}.${"A".repeat(43)}`]) {
    const response = await again.page.goto(garbage);
    expect(response?.status(), garbage).toBe(200);
    await expect(again.page.getByRole("heading", { name: "Link not valid" })).toBeVisible();
  }
  // A broken percent-escape is refused by the server before any page runs: a 400, not a 500.
  expect((await again.page.goto("/reset/%E0%A4%A"))?.status()).toBe(400);
});

test("a changed password leaves a notice on the next page until it is dismissed", async ({ browser }) => {
  const ws = await seedWorkspace({ owner: "owner" }, "notice");
  const self = await signedInClient(browser, ws.users.owner, ws.password, ws.slug);
  await self.page.goto("/account/security");
  await self.page.getByLabel("Current password").fill(ws.password);
  await self.page.getByLabel("New password").fill("violet harbour minnow seventy");
  await self.page.getByRole("button", { name: "Change password" }).click();
  await expect(self.page.getByRole("status")).toHaveText(/^Password changed\./);
  await self.page.goto(`/w/${ws.slug}`);
  const notice = self.page.getByTestId("security-notice").filter({ hasText: "Your password was changed." });
  await expect(notice).toBeVisible();
  await notice.getByRole("button", { name: "Dismiss" }).click();
  await expect(self.page.getByTestId("security-notice")).toHaveCount(0);
});
