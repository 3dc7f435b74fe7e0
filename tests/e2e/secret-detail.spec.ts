import { expect, test, type Page } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { query, seedWorkspace } from "./support/seed";
import { formAlert, newClient, signIn } from "./support/sign-in";
import { codeAt, enrollAuthenticator } from "./support/totp";

// A secret's own page, as an owner uses it: edit with a stale second tab, roll
// back, destroy, and reveal the value behind a fresh MFA check (even where the
// workspace asks for no step-up), hidden again after 30 seconds.

const prompt = (page: Page) => page.getByRole("dialog", { name: "Fresh MFA check" });
const row = (page: Page, version: number) => page.getByTestId(`version-${version}`);

/** Creates a secret from the list page's dialog and opens its page; returns the page's path. */
async function createSecret(page: Page, slug: string, name: string, value: string): Promise<string> {
  await page.goto(`/w/${slug}/secrets`);
  await page.getByRole("button", { name: "New secret" }).click();
  const dialog = page.getByRole("dialog", { name: "New secret" });
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByLabel("Value", { exact: true }).fill(value);
  await dialog.getByRole("button", { name: "Create secret" }).click();
  await page.getByTestId("secret-created").getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  return new URL(page.url()).pathname;
}

/** The page's HTML and its RSC payload, as the server sends them now. */
async function pageAndPayload(page: Page, path: string): Promise<string> {
  const html = await (await page.request.get(path)).text();
  const rsc = await (await page.request.get(path, { headers: { RSC: "1" } })).text();
  return html + rsc;
}

test("an edit from a stale tab is refused and saves nothing; rollback and destroy ask first and show in the history", async ({ browser }) => {
  const ws = await seedWorkspace({ owner: "owner" }, "secret-detail");
  const { context, page } = await newClient(browser);
  await signIn(page, ws.users.owner.email, ws.password, { landsOn: new RegExp(`/w/${ws.slug}$`) });
  const marker = `detail-marker-${randomUUID()}`;
  const path = await createSecret(page, ws.slug, "E2E_DETAIL", `${marker}-v1`);

  // A second tab opened on the same revision.
  const stale = await context.newPage();
  await stale.goto(path);

  await page.getByLabel("Description").fill("first edit");
  await page.getByLabel("New value").fill(`${marker}-v2`);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Saved. The current version is v2.")).toBeVisible();
  await expect(row(page, 2)).toBeVisible();

  await stale.getByLabel("Description").fill("stale edit");
  await stale.getByLabel("New value").fill(`${marker}-stale`);
  await stale.getByRole("button", { name: "Show" }).click();
  await expect(stale.getByLabel("New value")).toHaveAttribute("type", "text");
  await stale.getByRole("button", { name: "Save changes" }).click();
  await expect(formAlert(stale)).toContainText("E2E_DETAIL was changed by");
  await expect(formAlert(stale)).toContainText("Nothing was saved");
  // The value typed is gone from the form; the other details stay for the person to redo.
  await expect(stale.getByLabel("New value")).toHaveValue("");
  await expect(stale.getByLabel("New value")).toHaveAttribute("type", "password");
  await expect(stale.getByLabel("Description")).toHaveValue("stale edit");
  await stale.reload();
  await expect(stale.getByLabel("Description")).toHaveValue("first edit");
  const versions = await query<{ n: number }>(`SELECT count(*)::int AS n FROM secret_versions v JOIN secrets s ON s.id = v.secret_id WHERE s.workspace_id = $1`, [ws.workspaceId]);
  expect(versions[0].n).toBe(2);

  // Rollback: the question names the version it writes and the one it copies.
  await row(page, 1).getByRole("button", { name: "Roll back to v1" }).click();
  const rollback = page.getByRole("dialog", { name: "Write version 3 equal to version 1?" });
  await expect(rollback).toBeVisible();
  await rollback.getByRole("button", { name: "Write version 3" }).click();
  await expect(page.getByText("Version 3 written, equal to version 1.")).toBeVisible();
  await expect(row(page, 3)).toContainText("Rolled back from v1");
  await expect(row(page, 3)).toContainText("current");

  // Destroy: Cancel changes nothing; confirming wipes the value and keeps the row.
  await row(page, 2).getByRole("button", { name: "Destroy v2" }).click();
  const destroy = page.getByRole("dialog", { name: "Destroy version 2 of E2E_DETAIL?" });
  await destroy.getByRole("button", { name: "Cancel" }).click();
  await expect(destroy).toBeHidden();
  await row(page, 2).getByRole("button", { name: "Destroy v2" }).click();
  await destroy.getByRole("button", { name: "Destroy version 2" }).click();
  await expect(page.getByText("Version 2 destroyed: its value is gone for good.")).toBeVisible();
  await expect(row(page, 2)).toContainText(ws.users.owner.email);
  await expect(row(page, 2).getByRole("button")).toHaveCount(0);
  const [destroyed] = await query<{ ciphertext: string | null; destroyed_at: Date | null }>(
    `SELECT ciphertext, destroyed_at FROM secret_versions v JOIN secrets s ON s.id = v.secret_id WHERE s.workspace_id = $1 AND v.version = 2`,
    [ws.workspaceId],
  );
  expect(destroyed.ciphertext).toBeNull();
  expect(destroyed.destroyed_at).not.toBeNull();

  const sent = await pageAndPayload(page, path);
  expect(sent).toContain("E2E_DETAIL");
  expect(sent).not.toContain(marker);
});

test("revealing asks for a fresh MFA code even where the workspace asks for no step-up, answers no-store, and hides the value after 30 seconds", async ({ browser }) => {
  const ws = await seedWorkspace({ owner: "owner", dev: "developer" }, "secret-reveal");
  const { context, page } = await newClient(browser);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await signIn(page, ws.users.owner.email, ws.password, { landsOn: new RegExp(`/w/${ws.slug}$`) });
  const totp = await enrollAuthenticator(page);
  const marker = `reveal-marker-${randomUUID()}`;
  const path = await createSecret(page, ws.slug, "E2E_REVEAL", marker);
  await query(`UPDATE workspaces SET step_up_required = false WHERE id = $1`, [ws.workspaceId]);
  await query(`UPDATE sessions SET mfa_verified_at = now() - interval '11 minutes' WHERE user_id = $1`, [ws.users.owner.id]);

  await page.clock.install();
  await page.goto(path);
  const value = page.getByTestId("secret-value");
  await expect(value).toHaveText("••••••••••••");
  expect(await page.content()).not.toContain(marker);

  // By keyboard: Reveal, the prompt takes the code, Enter sends it and the reveal again.
  // The reveal action's answers (its form names the secret; the code check's does not).
  const reveals: (string | undefined)[] = [];
  page.on("response", (response) => {
    const request = response.request();
    if (request.method() === "POST" && request.headers()["next-action"] && request.postData()?.includes("secretId")) reveals.push(response.headers()["cache-control"]);
  });
  await page.getByRole("button", { name: "Reveal" }).focus();
  await page.keyboard.press("Enter");
  await expect(prompt(page).getByLabel("Authentication code")).toBeFocused();
  const [before] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events WHERE workspace_id = $1 AND action = 'secret.revealed'`, [ws.workspaceId]);
  expect(before.n).toBe(0);
  await page.keyboard.type(await codeAt(totp, 1));
  await page.keyboard.press("Enter");
  await expect(prompt(page)).toBeHidden({ timeout: 20_000 });
  await expect(value).toHaveText(marker);
  // The page's clock has run in real time since the value appeared; stop it now, so the
  // 30 s below are the page's and not this machine's (a busy machine spends seconds
  // on the checks in between).
  await page.clock.pauseAt(Date.now() + 500);
  // Refused for want of a code, then answered with the value: neither may be stored by any cache.
  await expect.poll(() => reveals.length).toBe(2);
  for (const cacheControl of reveals) expect(cacheControl).toContain("no-store");

  await page.getByRole("button", { name: "Copy" }).click();
  await expect(page.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(marker);

  const [after] = await query<{ n: number; metadata: unknown }>(`SELECT count(*)::int AS n, max(metadata::text) AS metadata FROM audit_events WHERE workspace_id = $1 AND action = 'secret.revealed'`, [
    ws.workspaceId,
  ]);
  expect(after.n).toBe(1);
  expect(String(after.metadata)).not.toContain(marker);

  // 30 seconds later the value is masked again and gone from the page.
  await page.clock.fastForward(25_000);
  await expect(value).toHaveText(marker);
  await page.clock.fastForward(6_000);
  await expect(value).toHaveText("••••••••••••");
  expect(await page.content()).not.toContain(marker);
  expect(await pageAndPayload(page, path)).not.toContain(marker);

  // A developer sees the metadata, never a Reveal control.
  const dev = await newClient(browser);
  await signIn(dev.page, ws.users.dev.email, ws.password, { landsOn: new RegExp(`/w/${ws.slug}$`) });
  await dev.page.goto(path);
  await expect(dev.page.getByRole("heading", { level: 1, name: "E2E_REVEAL" })).toBeVisible();
  await expect(dev.page.getByText("Only owners can reveal values.")).toBeVisible();
  await expect(dev.page.getByRole("button", { name: "Reveal" })).toHaveCount(0);

  // Anything but a secret's id is not found, never an error; an id of no secret here reads the same.
  // The list's loading boundary sits in its own route group and this page has none, so
  // nothing streams before the page decides: the status is a real 404.
  for (const id of ["not-a-uuid", randomUUID()]) {
    const response = await page.goto(`/w/${ws.slug}/secrets/${id}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByText("This page does not exist, or you are not a member of its workspace")).toBeVisible();
  }
});
