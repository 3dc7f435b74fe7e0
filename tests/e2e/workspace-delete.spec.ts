import { expect, test, type Page } from "@playwright/test";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { query, seedWorkspace } from "./support/seed";
import { formAlert, newClient, signIn, signedInClient } from "./support/sign-in";
import { codeAt, enrollAuthenticator } from "./support/totp";

// Deleting a workspace as its owner would: the name typed in the dialog, a fresh
// code from the authenticator, the receipt downloaded, and the workspace's URL
// gone for everyone who was in it. Then a person deleting their own account.

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");
const prompt = (page: Page) => page.getByRole("dialog", { name: "Fresh MFA check" });

test("an owner deletes a workspace: typed name, MFA code, the receipt downloads, and its URL answers 404", async ({ browser }) => {
  const ws = await seedWorkspace({ owner: "owner", dev: "developer" }, "delete");
  const other = await seedWorkspace({ keeper: "owner" }, "keep");
  // The owner still belongs to another workspace, where the browser goes afterwards.
  await query(`INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, 'viewer')`, [other.workspaceId, ws.users.owner.id]);

  const { page } = await newClient(browser);
  await signIn(page, ws.users.owner.email, ws.password, { next: `/w/${ws.slug}`, landsOn: new RegExp(`/w/${ws.slug}$`) });
  const secret = await enrollAuthenticator(page);
  // The last check is older than the window: the deletion must ask for a new one.
  await query(`UPDATE sessions SET mfa_verified_at = now() - interval '11 minutes' WHERE user_id = $1`, [ws.users.owner.id]);
  const dev = await signedInClient(browser, ws.users.dev, ws.password, ws.slug);

  await page.goto(`/w/${ws.slug}/settings`);
  await page.getByRole("button", { name: "Delete workspace…" }).click();
  const dialog = page.getByRole("dialog", { name: `Delete ${ws.name}?` });
  const confirm = dialog.getByRole("button", { name: "Delete this workspace" });
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel("Workspace name").fill(ws.name.toUpperCase());
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel("Workspace name").fill(ws.name);
  await confirm.click();

  await expect(prompt(page).getByLabel("Authentication code")).toBeFocused();
  expect((await query(`SELECT 1 FROM workspaces WHERE id = $1`, [ws.workspaceId])).length).toBe(1);
  const [head] = await query<{ seq: string; hash: string }>(`SELECT seq::text AS seq, hash FROM audit_events WHERE workspace_id = $1 ORDER BY seq DESC LIMIT 1`, [ws.workspaceId]);
  const downloaded = page.waitForEvent("download");
  await page.keyboard.type(await codeAt(secret, 1));
  await page.keyboard.press("Enter");

  const download = await downloaded;
  expect(download.suggestedFilename()).toMatch(new RegExp(`^warden-deletion-receipt-${ws.slug}-\\d{4}-\\d\\d-\\d\\d\\.json$`));
  const receipt = JSON.parse(await readFile((await download.path())!, "utf8"));
  expect(receipt).toMatchObject({
    workspace_id: ws.workspaceId,
    name_sha256: sha256(ws.name),
    deleted_by_user_id: ws.users.owner.id,
    deleted_by_label: ws.users.owner.email,
    final_audit_seq: head?.seq ?? null,
    final_audit_hash: head?.hash ?? null,
  });
  expect(receipt.rows_removed).toMatchObject({ memberships: 2, workspaces: 1 });
  const [kept] = await query<{ rows_removed: unknown }>(`SELECT rows_removed FROM workspace_deletion_receipts WHERE workspace_id = $1`, [ws.workspaceId]);
  expect(kept.rows_removed).toEqual(receipt.rows_removed);

  // On to the workspace the owner still has.
  await expect(page).toHaveURL(new RegExp(`/w/${other.slug}$`));
  expect((await query(`SELECT 1 FROM workspaces WHERE id = $1`, [ws.workspaceId])).length).toBe(0);
  for (const p of [page, dev.page]) {
    const answer = await p.goto(`/w/${ws.slug}`);
    expect(answer?.status()).toBe(404);
  }
  await expect(dev.page.getByText("404")).toBeVisible();
});

test("a person deletes their own account once they are not the last owner; their events keep a pseudonym", async ({ browser }) => {
  const ws = await seedWorkspace({ leaver: "owner", stayer: "owner" }, "leave");
  const solo = await seedWorkspace({ alone: "owner" }, "solo");
  await query(`INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, 'owner')`, [solo.workspaceId, ws.users.leaver.id]);
  await query(`DELETE FROM memberships WHERE workspace_id = $1 AND user_id = $2`, [solo.workspaceId, solo.users.alone.id]);

  const { page } = await newClient(browser);
  await signIn(page, ws.users.leaver.email, ws.password, { next: `/w/${ws.slug}`, landsOn: new RegExp(`/w/${ws.slug}$`) });
  const fill = async () => {
    await page.goto("/account/security");
    await page.getByLabel(/Type your email/).fill(ws.users.leaver.email);
    await page.getByLabel("Password", { exact: true }).fill(ws.password);
    await page.getByRole("button", { name: "Delete my account" }).click();
  };
  // The last owner of solo: refused, and told which workspace.
  await fill();
  await expect(formAlert(page)).toContainText(`You are the last owner of ${solo.name}`);
  expect((await query(`SELECT 1 FROM users WHERE id = $1`, [ws.users.leaver.id])).length).toBe(1);

  await query(`UPDATE memberships SET role = 'owner' WHERE workspace_id = $1`, [solo.workspaceId]);
  await query(`INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, 'owner')`, [solo.workspaceId, solo.users.alone.id]);
  await fill();
  await expect(page).toHaveURL(/\/sign-in(\?|$)/);
  expect((await query(`SELECT 1 FROM users WHERE id = $1`, [ws.users.leaver.id])).length).toBe(0);
  const events = await query<{ action: string; actor_label: string | null }>(`SELECT action, actor_label FROM audit_events WHERE workspace_id = $1 ORDER BY seq`, [ws.workspaceId]);
  expect(events.at(-1)).toMatchObject({ action: "account.erased" });
  expect(JSON.stringify(events)).not.toContain(ws.users.leaver.email);
  const answer = await page.goto(`/w/${ws.slug}`);
  await expect(page).toHaveURL(/\/sign-in/);
  expect(answer?.ok()).toBe(true);
});
