import { expect, test } from "@playwright/test";

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
  expect(h["strict-transport-security"]).toContain("max-age=");
});

test("a well-formed X-Request-Id is echoed and a malformed one replaced", async ({ request }) => {
  const kept = await request.get("/api/health", { headers: { "X-Request-Id": "trace-abc-12345" } });
  expect(kept.headers()["x-request-id"]).toBe("trace-abc-12345");
  const replaced = await request.get("/api/health", { headers: { "X-Request-Id": "<script>" } });
  expect(replaced.headers()["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  expect(await replaced.json()).toMatchObject({ status: "ok", database: "ok" });
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
