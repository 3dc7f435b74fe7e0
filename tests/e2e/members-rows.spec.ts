import { expect, test } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { query, seedWorkspace, type Role } from "./support/seed";
import { newClient, signedInClient } from "./support/sign-in";
import { chooseMemberAction, memberRow } from "./support/member-menu";

// The members table as an owner uses it: one "…" menu per row, run from the
// keyboard; a role change confirmed by a question naming the person and the role;
// a message after each change; when each person was last active; a page past the
// end; and pending invitations whose link can be made anew.

async function countEvents(workspaceId: string, action: string): Promise<number> {
  const [row] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events WHERE workspace_id = $1 AND action = $2`, [workspaceId, action]);
  return row.n;
}

const rename = (id: string, name: string) => query(`UPDATE users SET name = $2 WHERE id = $1`, [id, name]);

test("an owner changes a role from the row's menu with the keyboard, confirms the question naming the person and the role, and is told it is done", async ({ browser }) => {
  const ws = await seedWorkspace({ owner: "owner", dave: "viewer", heir: "developer", leaver: "editor" }, "rows");
  await rename(ws.users.dave.id, "Dave Viewer");
  await rename(ws.users.heir.id, "Hana Heir");
  await rename(ws.users.leaver.id, "Leo Leaver");
  // Dave uses the console; Leo never signed in.
  await signedInClient(browser, ws.users.dave, ws.password, ws.slug);
  const { page } = await signedInClient(browser, ws.users.owner, ws.password, ws.slug);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`/w/${ws.slug}/members`);

  await expect(memberRow(page, ws.users.dave.email).getByTestId("member-last-active")).not.toHaveText("Never");
  await expect(memberRow(page, ws.users.dave.email).getByTestId("member-last-active").locator("time")).toHaveAttribute("datetime", /^\d{4}-/);
  await expect(memberRow(page, ws.users.owner.email).getByTestId("member-last-active")).not.toHaveText("Never");
  await expect(memberRow(page, ws.users.leaver.email).getByTestId("member-last-active")).toHaveText("Never");

  // The menu: Arrow Down opens it on the first item, arrows and Home/End move, Escape closes it back onto its button.
  const menuButton = page.getByRole("button", { name: "Actions for Dave Viewer" });
  await menuButton.focus();
  await page.keyboard.press("ArrowDown");
  const menu = page.getByRole("menu", { name: "Actions for Dave Viewer" });
  await expect(menu.getByRole("menuitem")).toHaveText(["Change role…", "Make owner…", "Issue reset link…", "Remove…"]);
  await expect(menu.getByRole("menuitem", { name: "Change role…" })).toBeFocused();
  await page.screenshot({ path: `test-results/members-rows-menu-1440.png` });
  await page.keyboard.press("ArrowDown");
  await expect(menu.getByRole("menuitem", { name: "Make owner…" })).toBeFocused();
  await page.keyboard.press("End");
  await expect(menu.getByRole("menuitem", { name: "Remove…" })).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await expect(menu.getByRole("menuitem", { name: "Change role…" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(menu).toBeHidden();
  await expect(menuButton).toBeFocused();

  // Enter opens it, Enter picks "Change role…"; the role is picked, then the question names person and role.
  await page.keyboard.press("Enter");
  await expect(menu.getByRole("menuitem", { name: "Change role…" })).toBeFocused();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Change role for Dave Viewer" });
  await expect(dialog.getByRole("radio", { name: "viewer (current)" })).toBeChecked();
  await dialog.getByRole("radio", { name: "admin", exact: true }).check();
  await page.keyboard.press("Enter");
  const question = page.getByRole("dialog", { name: "Make Dave Viewer an admin?" });
  await expect(question.getByRole("button", { name: "Make admin" })).toBeFocused();
  await page.screenshot({ path: `test-results/members-rows-confirm-role-1440.png` });
  await page.keyboard.press("Enter");
  await expect(question).toBeHidden();

  await expect(page.getByRole("status").getByTestId("member-notice")).toHaveText(/^Dave Viewer is now an admin\./);
  await expect(memberRow(page, ws.users.dave.email).getByTestId("member-role")).toHaveText("admin");
  await expect(menuButton).toBeFocused();
  expect(await countEvents(ws.workspaceId, "member.role_changed")).toBe(1);

  // Each change says what it did: a removal (the row is gone) and a transfer of ownership.
  await (await chooseMemberAction(page, ws.users.leaver.email, "Remove…")).getByRole("button", { name: "Remove member" }).click();
  await expect(page.getByTestId("member-notice")).toHaveText(/^Leo Leaver was removed from the workspace\./);
  await expect(memberRow(page, ws.users.leaver.email)).toHaveCount(0);
  const transfer = await chooseMemberAction(page, ws.users.heir.email, "Make owner…");
  await expect(transfer).toHaveAccessibleName("Make Hana Heir the owner?");
  await transfer.getByRole("button", { name: "Transfer ownership" }).click();
  await expect(page.getByTestId("member-notice")).toHaveText(/^Ownership transferred: Hana Heir is now an owner, and you are an admin\./);
  await expect(memberRow(page, ws.users.heir.email).getByTestId("member-role")).toHaveText("owner");
});

test("a long name stays on one line, cut with its whole text on hover, and a page past the end shows the last page", async ({ browser }) => {
  const members = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`m${i}`, "viewer"])) as Record<string, Role>;
  const ws = await seedWorkspace<string>({ ...members, owner: "owner" }, "paging");
  const long = "Maximilian Bartholomew Fitzgerald-Worthington of the Northern Provinces";
  await rename(ws.users.m0.id, long);
  const { page } = await signedInClient(browser, ws.users.owner, ws.password, ws.slug);
  await page.setViewportSize({ width: 1440, height: 900 });

  await page.goto(`/w/${ws.slug}/members?q=${encodeURIComponent(ws.users.m0.email)}`);
  const name = memberRow(page, ws.users.m0.email).getByTitle(long, { exact: true });
  await expect(name).toHaveText(long);
  const box = await memberRow(page, ws.users.m0.email).boundingBox();
  expect(box!.height).toBeLessThan(60);
  await page.screenshot({ path: `test-results/members-rows-long-name-1440.png` });
  // On a phone the table scrolls in its box and the menu opens beside its button, over the page.
  await page.setViewportSize({ width: 390, height: 844 });
  await memberRow(page, ws.users.m0.email)
    .getByRole("button", { name: /^Actions for / })
    .click();
  await expect(page.getByRole("menu")).toBeVisible();
  await page.screenshot({ path: `test-results/members-rows-menu-390.png` });
  await page.keyboard.press("Escape");
  await page.setViewportSize({ width: 1440, height: 900 });

  const response = await page.goto(`/w/${ws.slug}/members?page=999&size=10&sort=email`);
  expect(response?.status()).toBe(200);
  await expect(page.getByText("12 in all · page 2 of 2")).toBeVisible();
  await expect(page.getByTestId("table-row")).toHaveCount(2);
  await expect(page.getByRole("button", { name: "Next" })).toBeDisabled();
  await page.getByRole("button", { name: "Previous" }).click();
  await expect(page.getByText("12 in all · page 1 of 2")).toBeVisible();
  await expect(page.getByTestId("table-row")).toHaveCount(10);
});

test("an owner resends an invitation and copies the new link; the old link is no longer valid, the new one joins, and the list names the inviter and the expiry", async ({ browser }) => {
  const ws = await seedWorkspace({ owner: "owner" }, "resend");
  await rename(ws.users.owner.id, "Olivia Owner");
  const owner = await signedInClient(browser, ws.users.owner, ws.password, ws.slug, { permissions: ["clipboard-read", "clipboard-write"] });
  const { page } = owner;
  await page.goto(`/w/${ws.slug}/members`);

  const email = `invitee-${randomUUID().slice(0, 8)}@example.test`;
  const invite = page.getByRole("region", { name: "Invite someone" });
  await invite.getByLabel("Email").fill(email);
  await invite.getByRole("button", { name: "Create invitation" }).click();
  const oldLink = await invite.getByTestId("invite-link").inputValue();

  const row = page.getByTestId("invitation-row").filter({ hasText: email });
  await expect(row.getByTestId("invitation-meta")).toHaveText(new RegExp(`^Invited by Olivia Owner \\(${ws.users.owner.email}\\) · expires .+`));
  const firstExpiry = await row.getByTestId("invitation-meta").locator("time").getAttribute("datetime");

  await row.getByRole("button", { name: "Resend" }).click();
  const confirm = page.getByRole("dialog", { name: `Send a new link to ${email}?` });
  await expect(confirm).toContainText("The link sent before stops working at once.");
  await confirm.getByRole("button", { name: "Make a new link" }).click();
  const resent = row.getByTestId("resent-link");
  await expect(resent).toHaveValue(/\/invite\/[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/);
  const newLink = await resent.inputValue();
  expect(newLink).not.toBe(oldLink);
  await row.getByRole("button", { name: "Copy" }).click();
  await expect(row.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(newLink);
  await expect(row.getByText("The earlier link no longer works.")).toBeVisible();
  expect(await countEvents(ws.workspaceId, "member.invitation_resent")).toBe(1);
  // The expiry moved on with the new link.
  await expect.poll(() => row.getByTestId("invitation-meta").locator("time").getAttribute("datetime")).not.toBe(firstExpiry);
  await page.screenshot({ path: `test-results/members-rows-resent-1440.png`, fullPage: true });

  const stale = await newClient(browser);
  await stale.page.goto(new URL(oldLink).pathname);
  await expect(stale.page.getByRole("heading", { name: "Invitation not valid" })).toBeVisible();

  const invitee = await newClient(browser);
  await invitee.page.goto(new URL(newLink).pathname);
  await expect(invitee.page.getByRole("heading", { name: `Join ${ws.name}` })).toBeVisible();
  await invitee.page.getByLabel("Your name").fill("Ivy Invitee");
  await invitee.page.getByLabel("Password").fill("an invitee passphrase");
  await invitee.page.getByRole("button", { name: "Create account and join" }).click();
  await expect(invitee.page).toHaveURL(new RegExp(`/w/${ws.slug}$`));

  await page.reload();
  await expect(page.getByTestId("invitation-row").filter({ hasText: email })).toHaveCount(0);
  await expect(memberRow(page, email)).toContainText("Ivy Invitee");
});
