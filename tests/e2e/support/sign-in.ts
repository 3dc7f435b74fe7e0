import { expect, type APIRequestContext, type APIResponse, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "@playwright/test";
import { freshIp } from "./seed";

export const SESSION_COOKIE = "warden.session";

/** A browser context standing in for one device at its own client address. */
export async function newClient(browser: Browser, ip = freshIp(), options: BrowserContextOptions = {}): Promise<{ context: BrowserContext; page: Page; ip: string }> {
  const context = await browser.newContext({ ...options, extraHTTPHeaders: { "X-Forwarded-For": ip } });
  return { context, page: await context.newPage(), ip };
}

/** Fills and submits the sign-in form; the caller asserts where it leads. */
export async function submitSignIn(page: Page, email: string, password: string, next?: string): Promise<void> {
  await page.goto(next ? `/sign-in?next=${encodeURIComponent(next)}` : "/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Signs in and waits for the landing page: `next`, or the first workspace. */
export async function signIn(page: Page, email: string, password: string, options: { next?: string; landsOn: RegExp }): Promise<void> {
  await submitSignIn(page, email, password, options.next);
  await expect(page).toHaveURL(options.landsOn);
}

/** A fresh device, signed in and on its workspace. */
export async function signedInClient(browser: Browser, user: { email: string }, password: string, slug: string, options: BrowserContextOptions = {}) {
  const client = await newClient(browser, freshIp(), options);
  await signIn(client.page, user.email, password, { landsOn: new RegExp(`/w/${slug}$`) });
  return client;
}

export async function sessionCookie(context: BrowserContext) {
  const cookie = (await context.cookies()).find((c) => c.name === SESSION_COOKIE);
  expect(cookie, `the ${SESSION_COOKIE} cookie`).toBeDefined();
  return cookie!;
}

/** The form's error message (Next's empty route announcer also has role="alert"). */
export const formAlert = (page: Page) => page.getByRole("alert").and(page.locator(":not(#__next-route-announcer__)"));

/** The next navigation of a signed-out device ends on the sign-in page. */
export async function expectSignedOut(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await expect(page).toHaveURL(/\/sign-in(\?|$)/);
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
}

/**
 * A credentials sign-in exactly as the browser's form sends it: next-auth's CSRF
 * token first (its cookie stays in `request`), then the form POST asking for a
 * JSON answer. `ip` is the client address the server sees.
 */
export async function postCredentials(request: APIRequestContext, fields: { email: string; password: string; ip: string }): Promise<APIResponse> {
  const headers = { "X-Forwarded-For": fields.ip };
  const csrf = await request.get("/api/auth/csrf", { headers });
  expect(csrf.ok()).toBe(true);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  return request.post("/api/auth/callback/credentials", {
    headers: { ...headers, "X-Auth-Return-Redirect": "1" },
    form: { email: fields.email, password: fields.password, csrfToken, callbackUrl: "/", json: "true" },
    maxRedirects: 0,
  });
}
