import { expect, type Page } from "@playwright/test";

// A member's row and its "…" menu, as a person uses them on the members page.

export type MemberMenuItem = "Change role…" | "Make owner…" | "Issue reset link…" | "Remove…";

export const memberRow = (page: Page, email: string) => page.getByTestId("table-row").filter({ hasText: email });

/** Opens the row's menu and picks an item; the confirmation it opens is the page's one open dialog. */
export async function chooseMemberAction(page: Page, email: string, item: MemberMenuItem) {
  await memberRow(page, email)
    .getByRole("button", { name: /^Actions for / })
    .click();
  await page.getByRole("menu").getByRole("menuitem", { name: item, exact: true }).click();
  return page.getByRole("dialog");
}

/** Change role… → pick the role → the question naming the person and role → confirm. */
export async function changeRoleTo(page: Page, email: string, role: string) {
  const dialog = await chooseMemberAction(page, email, "Change role…");
  await dialog.getByRole("radio", { name: role, exact: true }).check();
  await dialog.getByRole("button", { name: "Continue" }).click();
  await expect(dialog.getByRole("heading", { name: new RegExp(`^Make .+ an? ${role}\\?$`) })).toBeVisible();
  await dialog.getByRole("button", { name: `Make ${role}` }).click();
}
