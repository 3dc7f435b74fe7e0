import { expect, test, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import jsQR from "jsqr";
import { PNG } from "pngjs";
import { generate } from "otplib";
import { query, seedWorkspace } from "./support/seed";
import { newClient, signIn } from "./support/sign-in";
import { SERVER_LOG } from "./support/paths";

// As a person with a phone would: scan the QR code on the page, type codes the
// app computes, keep the recovery codes.

/** Decodes the QR image shown on the page, as the phone's camera would. */
async function scanQr(page: Page): Promise<string> {
  const src = await page.getByTestId("totp-qr").getAttribute("src");
  const png = PNG.sync.read(Buffer.from(src!.replace(/^data:image\/png;base64,/, ""), "base64"));
  const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  expect(decoded, "a readable QR code").not.toBeNull();
  return decoded!.data;
}

const codeAt = (secret: string, steps = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });

async function enroll(page: Page) {
  await page.goto("/account/security");
  await page.getByRole("button", { name: "Set up authenticator app" }).click();
  const uri = await scanQr(page);
  expect(uri).toMatch(/^otpauth:\/\/totp\/Warden:.+\?.*secret=/);
  const url = new URL(uri);
  expect(url.searchParams.get("algorithm") ?? "SHA1").toBe("SHA1");
  expect(url.searchParams.get("digits") ?? "6").toBe("6");
  expect(url.searchParams.get("period") ?? "30").toBe("30");
  const secret = url.searchParams.get("secret")!;
  await expect(page.getByTestId("totp-key")).toHaveText(secret.replace(/(.{4})/g, "$1 ").trim());
  await page.getByLabel("Code from your app").fill(await codeAt(secret));
  await page.getByRole("button", { name: "Turn on" }).click();
  await expect(page.getByTestId("recovery-codes").locator("li")).toHaveCount(10);
  const codes = (await page.getByTestId("recovery-codes").locator("li").allTextContents()).map((c) => c.trim());
  return { secret, codes };
}

async function signOut(page: Page) {
  await page.goto("/account/sessions");
  await page.locator("summary", { hasText: "Open user menu" }).click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
}

async function passwordStep(page: Page, email: string, password: string) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByLabel("Authentication code")).toBeVisible();
}

test("enroll by scanning the QR code, then sign in with app codes; a replayed code and a reused recovery code fail", async ({ browser }) => {
  const ws = await seedWorkspace({ member: "developer" }, "mfa");
  const { page } = await newClient(browser);
  await signIn(page, ws.users.member.email, ws.password, { landsOn: new RegExp(`/w/${ws.slug}$`) });
  const { secret, codes } = await enroll(page);

  await signOut(page);
  // Each round from a device of its own, so the per-address sign-in limit (5 a minute) stays out of the way.
  const second = (await newClient(browser)).page;
  await passwordStep(second, ws.users.member.email, ws.password);
  // The password alone reached nothing: the console is still closed.
  expect((await second.request.get(`/w/${ws.slug}`, { maxRedirects: 0 })).status()).toBe(307);
  const code = await codeAt(secret, 1);
  await second.getByLabel("Authentication code").fill(code);
  await second.getByRole("button", { name: "Verify" }).click();
  await expect(second).toHaveURL(new RegExp(`/w/${ws.slug}$`));

  const third = (await newClient(browser)).page;
  await passwordStep(third, ws.users.member.email, ws.password);
  await third.getByLabel("Authentication code").fill(code);
  await third.getByRole("button", { name: "Verify" }).click();
  await expect(third.getByText("That code is not valid, or was already used.")).toBeVisible();
  await third.getByLabel("Authentication code").fill(codes[0]);
  await third.getByRole("button", { name: "Verify" }).click();
  await expect(third).toHaveURL(new RegExp(`/w/${ws.slug}$`));

  const fourth = (await newClient(browser)).page;
  await passwordStep(fourth, ws.users.member.email, ws.password);
  await fourth.getByLabel("Authentication code").fill(codes[0]);
  await fourth.getByRole("button", { name: "Verify" }).click();
  await expect(fourth.getByText("That code is not valid, or was already used.")).toBeVisible();

  // Events of the person's account; the workspace's log, which its admins read, holds none of them.
  const actions = await query<{ action: string }>(`SELECT action FROM account_events WHERE user_id = $1 AND action LIKE 'mfa.%'`, [ws.users.member.id]);
  expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(["mfa.enrolled", "mfa.recovery_code_used", "mfa.challenge_failed"]));
  expect(await query(`SELECT 1 FROM audit_events WHERE workspace_id = $1 AND action LIKE 'mfa.%'`, [ws.workspaceId])).toHaveLength(0);

  // Neither the seed nor a recovery code reached the server's log, the account's log or the workspace's.
  const log = readFileSync(SERVER_LOG, "utf8");
  const audit = JSON.stringify([
    ...(await query(`SELECT metadata FROM account_events WHERE user_id = $1`, [ws.users.member.id])),
    ...(await query(`SELECT metadata FROM audit_events WHERE workspace_id = $1`, [ws.workspaceId])),
  ]);
  for (const value of [secret, ...codes]) {
    expect(log).not.toContain(value);
    expect(audit).not.toContain(value);
  }
});

test("with step-up on, Revoke all sessions asks for a code and completes after it; without a fresh check the server refuses", async ({ browser }) => {
  const ws = await seedWorkspace({ owner: "owner", member: "viewer" }, "stepup");
  const { page } = await newClient(browser);
  await signIn(page, ws.users.owner.email, ws.password, { landsOn: new RegExp(`/w/${ws.slug}$`) });
  const { secret } = await enroll(page);
  await query(`UPDATE workspaces SET step_up_required = true, step_up_window_minutes = 10 WHERE id = $1`, [ws.workspaceId]);
  // The enrollment check was fresh; let it age past the window.
  await query(`UPDATE sessions SET mfa_verified_at = now() - interval '11 minutes' WHERE user_id = $1`, [ws.users.owner.id]);

  const member = await newClient(browser);
  await signIn(member.page, ws.users.member.email, ws.password, { landsOn: new RegExp(`/w/${ws.slug}$`) });

  await page.goto(`/w/${ws.slug}/security`);
  await page.getByRole("button", { name: "Revoke all sessions" }).click();
  await page.getByRole("button", { name: "Sign everyone out" }).click();
  // The refusal comes from the server: the page does not know the check is stale.
  await expect(page.getByText("Confirm it is you: enter a code from your authenticator app.")).toBeVisible();
  const refused = await query(`SELECT count(*)::int AS n FROM audit_events WHERE workspace_id = $1 AND action = 'session.all_revoked'`, [ws.workspaceId]);
  expect(refused[0].n).toBe(0);
  await member.page.goto(`/w/${ws.slug}`);
  await expect(member.page).toHaveURL(new RegExp(`/w/${ws.slug}$`));

  await page.getByLabel("Authentication code").fill(await codeAt(secret, 1));
  await page.getByRole("button", { name: "Verify and continue" }).click();
  await expect(page.getByText(/Ended \d+ sessions? of \d+ members?/)).toBeVisible();
  await member.page.goto(`/w/${ws.slug}`);
  await expect(member.page).toHaveURL(/\/sign-in/);
});

test("a workspace that requires MFA sends a member without it to enrollment and nowhere else", async ({ browser }) => {
  const ws = await seedWorkspace({ member: "editor" }, "mfareq");
  await query(`UPDATE workspaces SET mfa_policy = 'all' WHERE id = $1`, [ws.workspaceId]);
  const { page } = await newClient(browser);
  await signIn(page, ws.users.member.email, ws.password, { landsOn: /\/account\/security\?required=/ });
  await page.goto(`/w/${ws.slug}/members`);
  await expect(page).toHaveURL(/\/account\/security\?required=/);
  await expect(page.getByText(/requires two-factor authentication/)).toBeVisible();
  await enroll(page);
  await page.goto(`/w/${ws.slug}/members`);
  await expect(page.getByRole("heading", { level: 1, name: "Members" })).toBeVisible();
});
