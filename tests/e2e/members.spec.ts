import { expect, test } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { query, seedWorkspace } from "./support/seed";
import { newClient, signIn } from "./support/sign-in";
import { changeRoleTo, chooseMemberAction } from "./support/member-menu";

test("an owner invites; the invitee joins in another browser; a role change shows on their next page; removal shuts them out", async ({ browser }) => {
  const ws = await seedWorkspace({ owner: "owner" }, "team");
  const owner = await newClient(browser);
  await signIn(owner.page, ws.users.owner.email, ws.password, { landsOn: new RegExp(`/w/${ws.slug}$`) });
  await owner.page.goto(`/w/${ws.slug}/members`);

  const email = `invitee-${randomUUID().slice(0, 8)}@example.test`;
  const invite = owner.page.getByRole("region", { name: "Invite someone" });
  await invite.getByLabel("Email").fill("not an email");
  await invite.getByRole("button", { name: "Create invitation" }).click();
  await expect(invite.getByText("Enter a valid email address")).toBeVisible();
  await invite.getByLabel("Email").fill(email);
  await invite.getByRole("combobox", { name: "Role", exact: true }).selectOption("viewer");
  await invite.getByRole("button", { name: "Create invitation" }).click();
  const link = await owner.page.getByTestId("invite-link").inputValue();
  expect(link).toMatch(/\/invite\/[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/);
  await expect(owner.page.getByTestId("invitation-row").filter({ hasText: email })).toBeVisible();

  const invitee = await newClient(browser);
  await invitee.page.goto(new URL(link).pathname);
  await expect(invitee.page.getByRole("heading", { name: `Join ${ws.name}` })).toBeVisible();
  await invitee.page.getByLabel("Your name").fill("Ivy Invitee");
  await invitee.page.getByLabel("Password").fill("an invitee passphrase");
  await invitee.page.getByRole("button", { name: "Create account and join" }).click();
  await expect(invitee.page).toHaveURL(new RegExp(`/w/${ws.slug}$`));
  await expect(invitee.page.getByText(`${ws.name} · viewer`)).toBeVisible();

  // A used link does not work twice.
  const again = await newClient(browser);
  await again.page.goto(new URL(link).pathname);
  await expect(again.page.getByRole("heading", { name: "Invitation not valid" })).toBeVisible();

  await owner.page.goto(`/w/${ws.slug}/members?q=${encodeURIComponent(email)}`);
  const row = owner.page.getByTestId("table-row").filter({ hasText: email });
  await changeRoleTo(owner.page, email, "editor");
  await expect(owner.page.getByTestId("member-notice")).toHaveText(/Ivy Invitee is now an editor\./);
  await expect(row.getByTestId("member-role")).toHaveText("editor");
  await invitee.page.goto(`/w/${ws.slug}`);
  await expect(invitee.page.getByText(`${ws.name} · editor`)).toBeVisible();

  await (await chooseMemberAction(owner.page, email, "Remove…")).getByRole("button", { name: "Remove member" }).click();
  await expect(owner.page.getByTestId("member-notice")).toHaveText(/Ivy Invitee was removed from the workspace\./);
  await expect(owner.page.getByText("No member matches these filters.")).toBeVisible();
  const refused = await invitee.page.goto(`/w/${ws.slug}`);
  expect(refused?.status()).toBe(404);
});

test("an admin cannot touch an owner, and the last owner cannot leave", async ({ browser }) => {
  const ws = await seedWorkspace({ owner: "owner", coOwner: "owner", admin: "admin" }, "rules");
  const admin = await newClient(browser);
  await signIn(admin.page, ws.users.admin.email, ws.password, { landsOn: new RegExp(`/w/${ws.slug}$`) });
  await admin.page.goto(`/w/${ws.slug}/members`);
  const ownerRow = admin.page.getByTestId("table-row").filter({ hasText: ws.users.owner.email });
  await expect(ownerRow).toBeVisible();
  await expect(ownerRow.getByRole("button")).toHaveCount(0);
  await expect(admin.page.getByRole("region", { name: "Invite someone" }).getByRole("combobox", { name: "Role", exact: true }).locator("option", { hasText: "owner" })).toHaveCount(0);

  // With two owners, either may leave: the owner opens the confirmation...
  const owner = await newClient(browser);
  await signIn(owner.page, ws.users.owner.email, ws.password, { landsOn: new RegExp(`/w/${ws.slug}$`) });
  await owner.page.goto(`/w/${ws.slug}/members`);
  await owner.page.getByRole("button", { name: "Leave workspace" }).click();
  // ...while the other owner leaves first.
  const coOwner = await newClient(browser);
  await signIn(coOwner.page, ws.users.coOwner.email, ws.password, { landsOn: new RegExp(`/w/${ws.slug}$`) });
  await coOwner.page.goto(`/w/${ws.slug}/members`);
  await coOwner.page.getByRole("button", { name: "Leave workspace" }).click();
  await coOwner.page.getByRole("button", { name: "Leave", exact: true }).click();
  await expect.poll(async () => (await query(`SELECT 1 FROM memberships WHERE workspace_id = $1 AND user_id = $2`, [ws.workspaceId, ws.users.coOwner.id])).length).toBe(0);

  // The page was drawn with two owners, but the server refuses the last one's leaving.
  await owner.page.getByRole("button", { name: "Leave", exact: true }).click();
  await expect(owner.page.getByText("This is the workspace's last owner. Make someone else an owner first.")).toBeVisible();
  await owner.page.goto(`/w/${ws.slug}`);
  await expect(owner.page.getByText(`${ws.name} · owner`)).toBeVisible();
  // Drawn afresh, the only owner's Leave is off and says why.
  await owner.page.goto(`/w/${ws.slug}/members`);
  const leave = owner.page.getByRole("button", { name: "Leave workspace" });
  await expect(leave).toBeDisabled();
  await expect(leave).toHaveAccessibleDescription(/Make someone else an owner first\.$/);
  expect(await query(`SELECT role FROM memberships WHERE workspace_id = $1 AND user_id = $2`, [ws.workspaceId, ws.users.owner.id])).toEqual([{ role: "owner" }]);
});

test("the roles page shows the capability matrix", async ({ browser }) => {
  const ws = await seedWorkspace({ viewer: "viewer" }, "roles");
  const { page } = await newClient(browser);
  await signIn(page, ws.users.viewer.email, ws.password, { landsOn: new RegExp(`/w/${ws.slug}$`) });
  await page.goto(`/w/${ws.slug}/members/roles`);
  const row = page.getByRole("row", { name: /sessions\.revoke_all/ });
  await expect(row.getByLabel("allowed", { exact: true })).toHaveCount(1);
  await expect(row.getByLabel("not allowed", { exact: true })).toHaveCount(4);
});
