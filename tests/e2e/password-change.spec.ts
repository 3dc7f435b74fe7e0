import { expect, test, type Page } from "@playwright/test";
import { query, seedWorkspace } from "./support/seed";
import { expectSignedOut, formAlert, newClient, sessionCookie, signedInClient, submitSignIn } from "./support/sign-in";

// Changing the password is what a person does after a suspected theft, so it ends
// every other session; and it is limited to three tries per 15 minutes.

async function changePassword(page: Page, current: string, next: string) {
  await page.goto("/account/security");
  await page.getByLabel("Current password").fill(current);
  await page.getByLabel("New password").fill(next);
  await page.getByRole("button", { name: "Change password" }).click();
}

test("changing the password signs out the other devices, keeps this one, and a fourth try within 15 minutes is refused", async ({ browser }) => {
  const ws = await seedWorkspace({ owner: "owner" }, "password");
  const user = ws.users.owner;
  const other = await signedInClient(browser, user, ws.password, ws.slug);
  const self = await signedInClient(browser, user, ws.password, ws.slug);
  const before = (await sessionCookie(self.context)).value;
  const newPassword = "a brand new e2e passphrase";

  await changePassword(self.page, ws.password, newPassword);
  await expect(self.page.getByRole("status")).toHaveText("Password changed. 1 other session was signed out.");
  // This session got a fresh token at the change of credentials, and still works.
  expect((await sessionCookie(self.context)).value).not.toBe(before);
  await self.page.goto("/account/sessions");
  await expect(self.page).toHaveURL(/\/account\/sessions$/);
  await expect(self.page.getByTestId("session-row")).toHaveCount(1);
  await expect(self.page.getByTestId("session-row")).toContainText("This device");

  await expectSignedOut(other.page, `/w/${ws.slug}`);
  // The old password no longer opens the account; the new one does.
  await submitSignIn(other.page, user.email, ws.password);
  await expect(formAlert(other.page)).toHaveText("Invalid email or password");
  const fresh = await newClient(browser);
  await submitSignIn(fresh.page, user.email, newPassword);
  await expect(fresh.page).toHaveURL(new RegExp(`/w/${ws.slug}$`));
  // An event of the person's account, not of the workspace whose admins read its log.
  const audit = await query<{ metadata: { otherSessionsEnded: number } }>(`SELECT metadata FROM account_events WHERE user_id = $1 AND action = 'auth.password_changed'`, [user.id]);
  expect(audit.map((r) => r.metadata)).toEqual([{ otherSessionsEnded: 1 }]);
  expect(await query(`SELECT 1 FROM audit_events WHERE workspace_id = $1 AND action = 'auth.password_changed'`, [ws.workspaceId])).toHaveLength(0);

  // Tries two and three (wrong current password) still count against the limit...
  for (let i = 0; i < 2; i++) {
    await changePassword(self.page, "not my current password", "yet another e2e passphrase");
    await expect(self.page.getByText("That is not your current password")).toBeVisible();
  }
  // ...so the fourth is refused even with the right current password, and changes nothing.
  const [{ password_hash: hashBefore }] = await query<{ password_hash: string }>(`SELECT password_hash FROM users WHERE id = $1`, [user.id]);
  await changePassword(self.page, newPassword, "yet another e2e passphrase");
  await expect(formAlert(self.page)).toHaveText(/^Too many password changes\. Try again in \d+ minutes\.$/);
  const [{ password_hash: hashAfter }] = await query<{ password_hash: string }>(`SELECT password_hash FROM users WHERE id = $1`, [user.id]);
  expect(hashAfter).toBe(hashBefore);
  // The refusal ended nobody's session.
  await fresh.page.goto(`/w/${ws.slug}`);
  await expect(fresh.page).toHaveURL(new RegExp(`/w/${ws.slug}$`));

  for (const client of [other, self, fresh]) await client.context.close();
});
