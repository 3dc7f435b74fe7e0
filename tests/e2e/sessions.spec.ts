import { expect, test } from "@playwright/test";
import { query, seedWorkspace } from "./support/seed";
import { expectSignedOut, signedInClient } from "./support/sign-in";

// Every session is a database row: ending it from another device, or an owner
// ending everyone's, takes effect at the next request of the device it belonged to.

test("revoking one of your sessions from another device signs that device out at its next request", async ({ browser }) => {
  const ws = await seedWorkspace({ dev: "developer" }, "sess-one");
  const user = ws.users.dev;
  const a = await signedInClient(browser, user, ws.password, ws.slug);
  const b = await signedInClient(browser, user, ws.password, ws.slug);

  await b.page.goto("/account/sessions");
  const rows = b.page.getByTestId("session-row");
  await expect(rows).toHaveCount(2);
  const current = rows.filter({ hasText: "This device" });
  await expect(current).toHaveCount(1);
  await expect(current).toContainText(b.ip);
  const other = rows.filter({ hasNotText: "This device" });
  await expect(other).toContainText(a.ip);
  // The current device offers no Revoke for itself.
  await expect(current.getByRole("button", { name: "Revoke" })).toHaveCount(0);

  await other.getByRole("button", { name: "Revoke", exact: true }).click();
  const dialog = b.page.getByRole("dialog");
  await expect(dialog).toContainText("will be signed out at its next request");
  await dialog.getByRole("button", { name: "Revoke session" }).click();
  await expect(b.page.getByRole("status")).toHaveText("The session has ended.");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("This device");

  await expectSignedOut(a.page, `/w/${ws.slug}`);
  // The device that revoked stays signed in.
  await b.page.goto(`/w/${ws.slug}`);
  await expect(b.page).toHaveURL(new RegExp(`/w/${ws.slug}$`));

  const sessions = await query<{ ip: string; revoked_reason: string | null }>(`SELECT ip, revoked_reason FROM sessions WHERE user_id = $1`, [user.id]);
  expect(sessions).toHaveLength(2);
  expect(sessions.find((s) => s.ip === a.ip)?.revoked_reason).toBe("revoked_by_user");
  expect(sessions.find((s) => s.ip === b.ip)?.revoked_reason).toBeNull();
  // Ending one's own session is an event of one's account, not of the workspace.
  const audit = await query<{ metadata: { scope: string; ended: number } }>(`SELECT metadata FROM account_events WHERE user_id = $1 AND action = 'session.revoked'`, [user.id]);
  expect(audit.map((r) => r.metadata)).toEqual([{ scope: "one", ended: 1 }]);
  expect(await query(`SELECT 1 FROM audit_events WHERE workspace_id = $1 AND action LIKE 'session.%'`, [ws.workspaceId])).toHaveLength(0);

  await a.context.close();
  await b.context.close();
});

test("signing out of all other devices ends every other session of yours and nobody else's", async ({ browser }) => {
  // Four to seven browsers each sign in through the form (Argon2 on two cores): more than the default minute under load.
  test.slow();
  const ws = await seedWorkspace({ me: "editor", colleague: "viewer" }, "sess-others");
  const a = await signedInClient(browser, ws.users.me, ws.password, ws.slug);
  const b = await signedInClient(browser, ws.users.me, ws.password, ws.slug);
  const c = await signedInClient(browser, ws.users.me, ws.password, ws.slug);
  const colleague = await signedInClient(browser, ws.users.colleague, ws.password, ws.slug);

  await c.page.goto("/account/sessions");
  await expect(c.page.getByTestId("session-row")).toHaveCount(3);
  await c.page.getByRole("button", { name: "Sign out of all other devices" }).click();
  const dialog = c.page.getByRole("dialog");
  await expect(dialog).toContainText("This ends 2 other sessions");
  await dialog.getByRole("button", { name: "Sign out other devices" }).click();
  await expect(c.page.getByRole("status")).toHaveText("Signed out of 2 other sessions.");
  await expect(c.page.getByTestId("session-row")).toHaveCount(1);
  await expect(c.page.getByText("You are signed in on this device only.")).toBeVisible();

  await expectSignedOut(a.page, `/w/${ws.slug}/members`);
  await expectSignedOut(b.page, "/account/sessions");
  await c.page.goto(`/w/${ws.slug}`);
  await expect(c.page).toHaveURL(new RegExp(`/w/${ws.slug}$`));
  // Another person's session is not touched.
  await colleague.page.goto(`/w/${ws.slug}/members`);
  await expect(colleague.page).toHaveURL(new RegExp(`/w/${ws.slug}/members$`));

  for (const client of [a, b, c, colleague]) await client.context.close();
});

test("an owner's revoke-all signs out every member on every device but the owner's own session", async ({ browser }) => {
  // Four to seven browsers each sign in through the form (Argon2 on two cores): more than the default minute under load.
  test.slow();
  const ws = await seedWorkspace({ owner: "owner", admin: "admin", dev: "developer", viewer: "viewer" }, "sess-all");
  const outsider = await seedWorkspace({ stranger: "owner" }, "sess-all-outside");
  const owner = await signedInClient(browser, ws.users.owner, ws.password, ws.slug);
  const ownerLaptop = await signedInClient(browser, ws.users.owner, ws.password, ws.slug);
  const members = [
    await signedInClient(browser, ws.users.admin, ws.password, ws.slug),
    await signedInClient(browser, ws.users.dev, ws.password, ws.slug),
    await signedInClient(browser, ws.users.viewer, ws.password, ws.slug),
    await signedInClient(browser, ws.users.viewer, ws.password, ws.slug),
  ];
  const stranger = await signedInClient(browser, outsider.users.stranger, outsider.password, outsider.slug);
  const [admin] = members;

  // An admin manages locked accounts here, but has no revoke-all.
  await admin.page.goto(`/w/${ws.slug}/security`);
  await expect(admin.page.getByRole("heading", { name: "Locked accounts" })).toBeVisible();
  await expect(admin.page.getByRole("button", { name: "Revoke all sessions" })).toHaveCount(0);

  // Admin, developer, the viewer's two devices and the owner's other one: 5 sessions of 4 people.
  await owner.page.goto(`/w/${ws.slug}/security`);
  await owner.page.getByRole("button", { name: "Revoke all sessions" }).click();
  const dialog = owner.page.getByRole("dialog");
  await expect(dialog.getByTestId("preview-sessions")).toHaveText("5");
  await expect(dialog.getByTestId("preview-members")).toHaveText("4");
  await dialog.getByRole("button", { name: "Sign everyone out" }).click();
  await expect(owner.page.getByRole("status")).toHaveText("Ended 5 sessions of 4 members.");

  for (const member of [...members, ownerLaptop]) await expectSignedOut(member.page, `/w/${ws.slug}`);
  await owner.page.goto(`/w/${ws.slug}/members`);
  await expect(owner.page).toHaveURL(new RegExp(`/w/${ws.slug}/members$`));
  // Someone who is not a member of this workspace keeps their session.
  await stranger.page.goto(`/w/${outsider.slug}`);
  await expect(stranger.page).toHaveURL(new RegExp(`/w/${outsider.slug}$`));

  const audit = await query<{ actor_label: string; metadata: { sessionsEnded: number; membersAffected: number } }>(
    `SELECT actor_label, metadata FROM audit_events WHERE workspace_id = $1 AND action = 'session.all_revoked'`,
    [ws.workspaceId],
  );
  expect(audit).toHaveLength(1);
  expect(audit[0].actor_label).toBe(ws.users.owner.email);
  expect(audit[0].metadata.sessionsEnded).toBe(5);
  expect(audit[0].metadata.membersAffected).toBe(4);
  const live = await query<{ user_id: string }>(`SELECT s.user_id FROM sessions s JOIN memberships m ON m.user_id = s.user_id WHERE m.workspace_id = $1 AND s.revoked_at IS NULL`, [ws.workspaceId]);
  expect(live).toEqual([{ user_id: ws.users.owner.id }]);

  for (const client of [owner, ownerLaptop, ...members, stranger]) await client.context.close();
});
