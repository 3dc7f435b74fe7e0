import { expect, test } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { seedWorkspace } from "./support/seed";
import { signedInClient } from "./support/sign-in";

// The suite's server runs without SMTP_URL: email is off, and the console says so
// beside every link it shows, so the inviter knows to copy it.

test("with email off, an owner who invites is told to copy the link beside it", async ({ browser }) => {
  const ws = await seedWorkspace({ owner: "owner" }, "email");
  const { page } = await signedInClient(browser, ws.users.owner, ws.password, ws.slug);
  await page.goto(`/w/${ws.slug}/members`);
  const invite = page.getByRole("region", { name: "Invite someone" });
  await invite.getByLabel("Email").fill(`mailless-${randomUUID().slice(0, 8)}@example.test`);
  await invite.getByRole("button", { name: "Create invitation" }).click();
  await expect(invite.getByTestId("invite-link")).toHaveValue(/\/invite\//);
  await expect(invite.getByTestId("email-delivery")).toHaveText("Email is off: copy the link and send it yourself.");
});
