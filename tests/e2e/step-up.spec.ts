import { expect, test, type Browser, type Page } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { query, seedWorkspace, type Role, type SeededWorkspace } from "./support/seed";
import { newClient, signIn } from "./support/sign-in";
import { codeAt, enrollAuthenticator } from "./support/totp";
import { changeRoleTo, chooseMemberAction, memberRow } from "./support/member-menu";

// Every action the server guards with a fresh MFA check (`stepUp: true`, or
// granting owner or admin), done as an owner would with "Ask for a fresh MFA code"
// on and the last check older than the window: the server refuses, the prompt asks
// for a code, and after it the change is made once and shows on the page.

const ASKS = "Confirm it is you: enter a code from your authenticator app.";

/** An owner with an authenticator whose last MFA check has aged past the workspace's window. */
async function ownerWithStaleCheck<K extends string>(browser: Browser, others: Record<K, Role>) {
  const ws = (await seedWorkspace({ owner: "owner", ...others } as Record<K | "owner", Role>, "stepup")) as SeededWorkspace<K | "owner">;
  const { page } = await newClient(browser);
  await signIn(page, ws.users.owner.email, ws.password, { landsOn: new RegExp(`/w/${ws.slug}$`) });
  const secret = await enrollAuthenticator(page);
  await query(`UPDATE workspaces SET step_up_required = true, step_up_window_minutes = 10 WHERE id = $1`, [ws.workspaceId]);
  await query(`UPDATE sessions SET mfa_verified_at = now() - interval '11 minutes' WHERE user_id = $1`, [ws.users.owner.id]);
  return { ws, page, secret };
}

const prompt = (page: Page) => page.getByRole("dialog", { name: "Fresh MFA check" });

/** Types the app's next code into the prompt, which has the focus, and presses Enter. */
async function answerPrompt(page: Page, secret: string) {
  await expect(prompt(page).getByText(ASKS)).toBeVisible();
  await expect(prompt(page).getByLabel("Authentication code")).toBeFocused();
  await page.keyboard.type(await codeAt(secret, 1));
  await page.keyboard.press("Enter");
  await expect(prompt(page)).toBeHidden();
}

async function countEvents(workspaceId: string, action: string): Promise<number> {
  const [row] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events WHERE workspace_id = $1 AND action = $2`, [workspaceId, action]);
  return row.n;
}

async function stepUpsVerified(userId: string): Promise<number> {
  const [row] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM account_events WHERE user_id = $1 AND action = 'mfa.step_up_verified'`, [userId]);
  return row.n;
}

/** Refused by the server until the code: nothing was recorded while the prompt waits. */
async function expectRefusedUntilCode(page: Page, workspaceId: string, action: string) {
  await expect(prompt(page).getByText(ASKS)).toBeVisible();
  expect(await countEvents(workspaceId, action)).toBe(0);
}

test("changing a member's role to admin asks for a code, then the role changes once", async ({ browser }) => {
  const { ws, page, secret } = await ownerWithStaleCheck(browser, { dev: "developer" });
  await page.goto(`/w/${ws.slug}/members`);
  const row = memberRow(page, ws.users.dev.email);
  await changeRoleTo(page, ws.users.dev.email, "admin");
  await expectRefusedUntilCode(page, ws.workspaceId, "member.role_changed");

  await answerPrompt(page, secret);
  await expect(page.getByTestId("member-notice")).toHaveText(/is now an admin\./);
  await expect(row.getByTestId("member-role")).toHaveText("admin");
  expect(await countEvents(ws.workspaceId, "member.role_changed")).toBe(1);
  expect(await stepUpsVerified(ws.users.owner.id)).toBe(1);
});

test("cancelling the prompt with Escape or Cancel changes nothing", async ({ browser }) => {
  const { ws, page } = await ownerWithStaleCheck(browser, { dev: "developer" });
  await page.goto(`/w/${ws.slug}/members`);
  await changeRoleTo(page, ws.users.dev.email, "admin");
  await expect(prompt(page).getByLabel("Authentication code")).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(prompt(page)).toBeHidden();

  await changeRoleTo(page, ws.users.dev.email, "admin");
  await prompt(page).getByRole("button", { name: "Cancel" }).click();
  await expect(prompt(page)).toBeHidden();

  await page.reload();
  await expect(memberRow(page, ws.users.dev.email).getByTestId("member-role")).toHaveText("developer");
  expect(await countEvents(ws.workspaceId, "member.role_changed")).toBe(0);
  expect(await stepUpsVerified(ws.users.owner.id)).toBe(0);
});

test("making someone an owner asks for a code, then ownership moves", async ({ browser }) => {
  const { ws, page, secret } = await ownerWithStaleCheck(browser, { heir: "admin" });
  await page.goto(`/w/${ws.slug}/members`);
  const confirm = await chooseMemberAction(page, ws.users.heir.email, "Make owner…");
  await expect(confirm).toHaveAccessibleName(/^Make .+ the owner\?$/);
  await confirm.getByRole("button", { name: "Transfer ownership" }).click();
  await expectRefusedUntilCode(page, ws.workspaceId, "workspace.ownership_transferred");

  await answerPrompt(page, secret);
  await expect(memberRow(page, ws.users.heir.email).getByTestId("member-role")).toHaveText("owner");
  await expect(memberRow(page, ws.users.owner.email).getByTestId("member-role")).toHaveText("admin");
  await expect(page.getByTestId("member-notice")).toHaveText(/^Ownership transferred: .+ is now an owner, and you are an admin\./);
  expect(await countEvents(ws.workspaceId, "workspace.ownership_transferred")).toBe(1);
});

test("removing a member asks for a code; a wrong code stays in the prompt and the right one removes them once", async ({ browser }) => {
  const { ws, page, secret } = await ownerWithStaleCheck(browser, { leaver: "editor" });
  await page.goto(`/w/${ws.slug}/members`);
  const confirm = await chooseMemberAction(page, ws.users.leaver.email, "Remove…");
  await expect(confirm).toHaveAccessibleName(/^Remove .+\?$/);
  await confirm.getByRole("button", { name: "Remove member" }).click();
  await expectRefusedUntilCode(page, ws.workspaceId, "member.removed");

  await prompt(page).getByLabel("Authentication code").fill("000000");
  await prompt(page).getByRole("button", { name: "Verify and continue" }).click();
  await expect(prompt(page).getByText("That code is not valid, or was already used.")).toBeVisible();
  expect(await countEvents(ws.workspaceId, "member.removed")).toBe(0);

  await answerPrompt(page, secret);
  await expect(memberRow(page, ws.users.leaver.email)).toHaveCount(0);
  expect(await countEvents(ws.workspaceId, "member.removed")).toBe(1);
});

for (const role of ["admin", "owner"] as const) {
  test(`inviting someone as ${role} asks for a code, then shows the invitation link`, async ({ browser }) => {
    const { ws, page, secret } = await ownerWithStaleCheck(browser, {});
    await page.goto(`/w/${ws.slug}/members`);
    const email = `${role}-${randomUUID().slice(0, 8)}@example.test`;
    const invite = page.getByRole("region", { name: "Invite someone" });
    await invite.getByLabel("Email").fill(email);
    await invite.getByRole("combobox", { name: "Role", exact: true }).selectOption(role);
    await invite.getByRole("button", { name: "Create invitation" }).click();
    await expectRefusedUntilCode(page, ws.workspaceId, "member.invited");

    await answerPrompt(page, secret);
    await expect(invite.getByText(`Invitation created for ${email}.`)).toBeVisible();
    await expect(invite.getByTestId("invite-link")).toHaveValue(/\/invite\//);
    await expect(page.getByTestId("invitation-row").filter({ hasText: email })).toBeVisible();
    expect(await countEvents(ws.workspaceId, "member.invited")).toBe(1);
  });
}

test("revoking all sessions asks for a code, then signs everyone else out", async ({ browser }) => {
  const { ws, page, secret } = await ownerWithStaleCheck(browser, { member: "viewer" });
  const member = await newClient(browser);
  await signIn(member.page, ws.users.member.email, ws.password, { landsOn: new RegExp(`/w/${ws.slug}$`) });
  await page.goto(`/w/${ws.slug}/security`);
  await page.getByRole("button", { name: "Revoke all sessions" }).click();
  await page.getByRole("button", { name: "Sign everyone out" }).click();
  await expectRefusedUntilCode(page, ws.workspaceId, "session.all_revoked");

  await answerPrompt(page, secret);
  await expect(page.getByText(/Ended \d+ sessions? of \d+ members?/)).toBeVisible();
  expect(await countEvents(ws.workspaceId, "session.all_revoked")).toBe(1);
  await member.page.goto(`/w/${ws.slug}`);
  await expect(member.page).toHaveURL(/\/sign-in/);
});

test("changing the security policy asks for a code, then saves it", async ({ browser }) => {
  const { ws, page, secret } = await ownerWithStaleCheck(browser, {});
  await page.goto(`/w/${ws.slug}/security`);
  const form = page.getByRole("region", { name: "Multi-factor policy" });
  await form.getByLabel("A check stays fresh for (minutes)").fill("20");
  await form.getByRole("button", { name: "Save policy" }).click();
  await expectRefusedUntilCode(page, ws.workspaceId, "security.policy_changed");

  await answerPrompt(page, secret);
  await expect(form.getByText("Security policy saved.")).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("A check stays fresh for (minutes)")).toHaveValue("20");
  expect(await countEvents(ws.workspaceId, "security.policy_changed")).toBe(1);
});

test("creating an API key asks for a code, then shows the new key once", async ({ browser }) => {
  const { ws, page, secret } = await ownerWithStaleCheck(browser, {});
  await page.goto(`/w/${ws.slug}/api-keys`);
  const form = page.getByRole("region", { name: "Create a key" });
  await form.getByLabel("Name").fill("Deploy bot");
  await form.getByRole("checkbox", { name: "audit:read" }).check();
  await form.getByRole("button", { name: "Create key" }).click();
  await expectRefusedUntilCode(page, ws.workspaceId, "api_key.created");

  await answerPrompt(page, secret);
  await expect(form.getByTestId("new-api-key")).toHaveValue(/^wdn_live_/);
  await expect(page.getByTestId("api-key-row").filter({ hasText: "Deploy bot" })).toBeVisible();
  expect(await countEvents(ws.workspaceId, "api_key.created")).toBe(1);
});

test("issuing a reset link asks for a code, then shows the link", async ({ browser }) => {
  const { ws, page, secret } = await ownerWithStaleCheck(browser, { member: "developer" });
  await page.goto(`/w/${ws.slug}/members`);
  await chooseMemberAction(page, ws.users.member.email, "Issue reset link…");
  const dialog = page.getByRole("dialog", { name: `Reset link for ${ws.users.member.email}` });
  await dialog.getByRole("button", { name: "Issue reset link" }).click();
  await expectRefusedUntilCode(page, ws.workspaceId, "member.reset_link_issued");

  await answerPrompt(page, secret);
  await expect(dialog.getByTestId("reset-link")).toHaveValue(/\/reset\//);
  expect(await countEvents(ws.workspaceId, "member.reset_link_issued")).toBe(1);
});
