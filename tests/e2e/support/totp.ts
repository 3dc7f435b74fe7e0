import { expect, type Page } from "@playwright/test";
import jsQR from "jsqr";
import { PNG } from "pngjs";
import { generate } from "otplib";

// As a person with a phone would: scan the QR code the page shows, type the codes the app computes.

/** Decodes the QR image shown on the page, as the phone's camera would. */
export async function scanQr(page: Page): Promise<string> {
  const src = await page.getByTestId("totp-qr").getAttribute("src");
  const png = PNG.sync.read(Buffer.from(src!.replace(/^data:image\/png;base64,/, ""), "base64"));
  const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  expect(decoded, "a readable QR code").not.toBeNull();
  return decoded!.data;
}

/** The app's code `steps` periods of 30 s from now (a code is accepted once, so later checks take a later step). */
export const codeAt = (secret: string, steps = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });

/** Turns on the authenticator app from Account → Security; returns its secret. */
export async function enrollAuthenticator(page: Page): Promise<string> {
  await page.goto("/account/security");
  await page.getByRole("button", { name: "Set up authenticator app" }).click();
  const secret = new URL(await scanQr(page)).searchParams.get("secret")!;
  await page.getByLabel("Code from your app").fill(await codeAt(secret));
  await page.getByRole("button", { name: "Turn on" }).click();
  await expect(page.getByTestId("recovery-codes").locator("li")).toHaveCount(10);
  return secret;
}
