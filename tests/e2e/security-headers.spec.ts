import { expect, test } from "@playwright/test";
import { seedWorkspace } from "./support/seed";
import { newClient, signedInClient, signIn } from "./support/sign-in";

test("every page carries a fresh nonce-based CSP and the security headers", async ({ request }) => {
  const first = await request.get("/sign-in");
  const second = await request.get("/sign-in");
  const csp1 = first.headers()["content-security-policy"];
  const csp2 = second.headers()["content-security-policy"];
  const nonce = (csp: string) => /'nonce-([^']+)'/.exec(csp)?.[1];

  expect(nonce(csp1)).toBeTruthy();
  expect(nonce(csp1)).not.toBe(nonce(csp2));
  expect(csp1).toContain("'strict-dynamic'");
  expect(csp1).not.toContain("unsafe-inline");
  expect(csp1).not.toContain("unsafe-eval");
  for (const directive of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'"]) {
    expect(csp1).toContain(directive);
  }
  // Next's own scripts carry the nonce, so they run under the policy.
  const html = await first.text();
  expect(html).toContain(`nonce="${nonce(csp1)}"`);

  const h = first.headers();
  expect(h["x-frame-options"]).toBe("DENY");
  expect(h["x-content-type-options"]).toBe("nosniff");
  expect(h["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(h["cross-origin-opener-policy"]).toBe("same-origin");
  expect(h["cross-origin-resource-policy"]).toBe("same-origin");
  expect(h["permissions-policy"]).toContain("camera=()");
  // Served over plain http here (WARDEN_URL is http://localhost): no HSTS, which only an https console sends.
  expect(h["strict-transport-security"]).toBeUndefined();
});

test("the server names every request itself: a client's X-Request-Id is never taken as the server's id", async ({ request }) => {
  const sent = await request.get("/api/health", { headers: { "X-Request-Id": "trace-abc-12345" } });
  expect(sent.headers()["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  const again = await request.get("/api/health", { headers: { "X-Request-Id": "trace-abc-12345" } });
  expect(again.headers()["x-request-id"]).not.toBe(sent.headers()["x-request-id"]);
  const malformed = await request.get("/api/health", { headers: { "X-Request-Id": "<script>" } });
  expect(malformed.headers()["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  expect(await malformed.json()).toMatchObject({ status: "ok", database: "ok" });
});

test("a sign-in or sign-out posted from another origin is refused with 403; the console's own pages may post", async ({ request, baseURL }) => {
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const form = { email: "ada@example.test", password: "correct horse battery staple", csrfToken, callbackUrl: "/", json: "true" };
  for (const origin of ["https://evil.example", "null", `${baseURL}.evil.example`]) {
    const signIn = await request.post("/api/auth/callback/credentials", { headers: { Origin: origin }, form, maxRedirects: 0 });
    expect(signIn.status(), `sign-in from ${origin}`).toBe(403);
    const signOut = await request.post("/api/auth/signout", { headers: { Origin: origin }, form: { csrfToken, json: "true" }, maxRedirects: 0 });
    expect(signOut.status(), `sign-out from ${origin}`).toBe(403);
  }
  const foreignReferer = await request.post("/api/auth/signout", { headers: { Referer: "https://evil.example/page" }, form: { csrfToken }, maxRedirects: 0 });
  expect(foreignReferer.status()).toBe(403);
  const own = await request.post("/api/auth/signout", { headers: { Origin: baseURL! }, form: { csrfToken, json: "true" }, maxRedirects: 0 });
  expect(own.status()).not.toBe(403);
});

test("a server action posted from another origin answers 403, not 500", async ({ request }) => {
  const response = await request.post("/sign-in", { headers: { Origin: "https://evil.example", "Next-Action": "0".repeat(40) }, data: "[]" });
  expect(response.status()).toBe(403);
});

test("an owner's walk through the audit log and API keys pages raises no CSP violation, and violations have somewhere to go", async ({ browser }) => {
  const ws = await seedWorkspace({ owner: "owner" }, "csp-walk");
  const client = await newClient(browser);
  // Before any page script: collect every violation the browser fires.
  await client.context.addInitScript(() => {
    const seen: string[] = [];
    Object.assign(window, { __cspViolations: seen });
    document.addEventListener("securitypolicyviolation", (event) => seen.push(`${event.effectiveDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`));
  });
  await signIn(client.page, ws.users.owner.email, ws.password, { landsOn: new RegExp(`/w/${ws.slug}$`) });
  const violations = () => client.page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);

  const csp = (await client.page.request.get(`/w/${ws.slug}/audit`)).headers()["content-security-policy"];
  expect(csp).toContain("report-uri /api/csp-report");

  await client.page.goto(`/w/${ws.slug}/audit`);
  await expect(client.page.getByRole("form", { name: "Filter the audit log" })).toBeVisible();
  // Applying the filters parses them with the server's zod schema in the browser.
  await client.page.getByRole("form", { name: "Filter the audit log" }).getByRole("button", { name: /apply/i }).click();
  await client.page.waitForLoadState("networkidle");
  expect(await violations()).toEqual([]);

  await client.page.goto(`/w/${ws.slug}/api-keys`);
  const form = client.page.getByRole("region", { name: "Create a key" });
  await form.getByRole("button", { name: "Create key" }).click();
  await expect(form.getByText("Enter a name for the key")).toBeVisible();
  expect(await violations()).toEqual([]);
  await client.context.close();
});

test("a workspace the caller is not in answers 404, exactly like one that does not exist", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill("ada@example.test");
  await page.getByLabel("Password").fill("correct horse battery staple");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/w\/acme-agents$/);
  const missing = await page.request.get("/w/no-such-workspace");
  expect(missing.status()).toBe(404);
});

// Written the way an attacker writes the link: raw in the query string.
const DOT_SEGMENT_REDIRECTS = [
  "/.//evil.example",
  "/..//evil.example",
  "/%2e//evil.example",
  "/%2e%2e//evil.example",
  "/%2E%2E//evil.example",
  "/a/..//evil.example/x",
  "/\\evil.example",
  "/%5C/evil.example",
  "/%09/evil.example",
];

test("a return path that normalises into another host sends neither a signed-in visitor nor one signing in off the console", async ({ browser, baseURL }) => {
  const home = new URL(baseURL!).origin;
  const ws = await seedWorkspace({ owner: "owner", late: "viewer" }, "next");
  const signedIn = await signedInClient(browser, ws.users.owner, ws.password, ws.slug);
  for (const next of DOT_SEGMENT_REDIRECTS) {
    await signedIn.page.goto(`/sign-in?next=${next}`);
    expect(new URL(signedIn.page.url()).origin, next).toBe(home);
  }
  // A repeated parameter is no return path, and no server error.
  const repeated = await signedIn.page.request.get("/sign-in?next=/a&next=/b");
  expect(repeated.status()).toBeLessThan(500);

  const fresh = await newClient(browser);
  await fresh.page.goto(`/sign-in?next=${DOT_SEGMENT_REDIRECTS[0]}`);
  await fresh.page.getByLabel("Email").fill(ws.users.late.email);
  await fresh.page.getByLabel("Password").fill(ws.password);
  await fresh.page.getByRole("button", { name: "Sign in" }).click();
  await expect(fresh.page).not.toHaveURL(/\/sign-in/);
  expect(new URL(fresh.page.url()).origin).toBe(home);
  await signedIn.context.close();
  await fresh.context.close();
});
