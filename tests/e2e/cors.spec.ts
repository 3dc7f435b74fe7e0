import { expect, test, type APIResponse } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { E2E_PORT } from "../../playwright.config";
import { generateApiKey } from "../../lib/api-keys/api-key-token";
import { freshIp, query, seedWorkspace } from "./support/seed";

// CORS on /api/v1 against the running server: the headers middleware.ts decides
// reach the answers route handlers give (200, 401, 413, 429), and a real browser
// on an allowed origin can call the API while one on another origin cannot read it.
// The server allows https://app.cors.test and http://127.0.0.1:<E2E_PORT + 1000> (global-setup.ts).

const APP = "https://app.cors.test";
const OTHER = "https://evil.cors.test";
const EXPOSED = "RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Retry-After, X-Request-Id";

const accessControl = (response: APIResponse) => Object.keys(response.headers()).filter((name) => name.startsWith("access-control-"));

async function runtimeKey() {
  const ws = await seedWorkspace({ owner: "owner" }, "cors");
  const [agent] = await query<{ id: string }>(`INSERT INTO agents (workspace_id, name, daily_cap_micros) VALUES ($1, 'cors bot', 10000000) RETURNING id::text AS id`, [ws.workspaceId]);
  const { key, prefix, hash } = generateApiKey();
  await query(`INSERT INTO api_keys (workspace_id, name, prefix, key_hash, scopes, created_by_id) VALUES ($1, 'cors', $2, $3, '{runtime:usage}', $4)`, [
    ws.workspaceId,
    prefix,
    hash,
    ws.users.owner.id,
  ]);
  return { key, agent: agent.id };
}

const usageBody = (agent: string) => ({ events: [{ id: randomUUID(), type: "conversation.started", agent, occurred_at: new Date(Date.now() - 60_000).toISOString() }] });

test("a preflight from an allowed origin answers 204 with the methods, headers and max age; from another, 403 JSON without CORS headers", async ({ request }) => {
  const headers = { "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, content-type, idempotency-key" };
  const allowed = await request.fetch("/api/v1/usage/events", { method: "OPTIONS", headers: { ...headers, Origin: APP } });
  expect(allowed.status()).toBe(204);
  expect(allowed.headers()).toMatchObject({
    "access-control-allow-origin": APP,
    "access-control-allow-methods": "GET, POST",
    "access-control-allow-headers": "Authorization, Content-Type, Idempotency-Key",
    "access-control-max-age": "600",
    "access-control-expose-headers": EXPOSED,
  });
  expect(allowed.headers().vary).toContain("Origin");
  expect(allowed.headers()["access-control-allow-credentials"]).toBeUndefined();

  const refused = await request.fetch("/api/v1/usage/events", { method: "OPTIONS", headers: { ...headers, Origin: OTHER } });
  expect(refused.status()).toBe(403);
  expect(accessControl(refused)).toEqual([]);
  expect((await refused.json()).error).toMatchObject({ code: "forbidden", reason: "origin_not_allowed" });
});

test("route handlers' answers carry the CORS headers for an allowed origin (200, 401, 413, 429) and none for another origin", async ({ request }) => {
  const { key, agent } = await runtimeKey();
  const post = (origin: string, data: unknown, authorization = `Bearer ${key}`, ip = freshIp()) =>
    request.post("/api/v1/usage/events", { headers: { Origin: origin, Authorization: authorization, "Content-Type": "application/json", "X-Forwarded-For": ip }, data });
  const expectCors = (response: APIResponse) => {
    expect(response.headers()["access-control-allow-origin"], String(response.status())).toBe(APP);
    expect(response.headers()["access-control-expose-headers"]).toBe(EXPOSED);
    expect(response.headers().vary).toContain("Origin");
    expect(response.headers()["access-control-allow-credentials"]).toBeUndefined();
  };

  const ok = await post(APP, usageBody(agent));
  expect(ok.status()).toBe(200);
  expectCors(ok);
  expect(ok.headers()["ratelimit-remaining"]).toMatch(/^\d+$/);

  const tooLarge = await post(APP, JSON.stringify({ events: [], pad: "x".repeat(1_100_000) }));
  expect(tooLarge.status()).toBe(413);
  expectCors(tooLarge);

  // Failed authentications from one address: 401s, then 429 with Retry-After.
  const ip = freshIp();
  let last: APIResponse | undefined;
  for (let i = 0; i < 31 && last?.status() !== 429; i++) {
    last = await post(APP, usageBody(agent), "Bearer wdn_live_not-a-real-key", ip);
    expect([401, 429]).toContain(last.status());
    expectCors(last);
  }
  expect(last!.status()).toBe(429);
  expect(last!.headers()["retry-after"]).toMatch(/^\d+$/);

  // Another origin: the key still decides (200), but the browser gets nothing to read.
  const foreign = await post(OTHER, usageBody(agent));
  expect(foreign.status()).toBe(200);
  expect(accessControl(foreign)).toEqual([]);
});

test("/metrics, /api/health and the console get no CORS headers, even from an allowed origin", async ({ request }) => {
  for (const path of ["/metrics", "/api/health", "/sign-in", "/api/auth/session"]) {
    const response = await request.get(path, { headers: { Origin: APP } });
    expect(accessControl(response), path).toEqual([]);
  }
});

/** A page of its own origin on loopback (a browser lets only loopback pages reach localhost), closed with the returned function. */
async function servePage(port: number): Promise<{ origin: string; close: () => Promise<void> }> {
  const server = createServer((_request, response) => response.writeHead(200, { "Content-Type": "text/html" }).end("<!doctype html><title>a runtime's page</title>"));
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, "127.0.0.1", resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${bound}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

test("in a browser, a page on an allowed origin reads the API's answers and headers; a page on another origin never gets to send", async ({ page, baseURL }) => {
  const { key, agent } = await runtimeKey();
  const api = `${baseURL}/api/v1/usage/events`;
  // Two pages on other origins than the API's: one on the list (global-setup.ts), one on a port of the system's choosing.
  const allowedPage = await servePage(E2E_PORT + 1000);
  const foreignPage = await servePage(0);
  const call = (body: unknown) =>
    page.evaluate(
      async ({ api, key, body }) => {
        try {
          const response = await fetch(api, { method: "POST", headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" }, body: JSON.stringify(body) });
          return { status: response.status, remaining: response.headers.get("RateLimit-Remaining"), body: await response.json() };
        } catch (error) {
          return { error: String(error) };
        }
      },
      { api, key, body },
    );
  const stored = async (body: ReturnType<typeof usageBody>) => (await query(`SELECT 1 FROM usage_events WHERE id = $1`, [body.events[0].id])).length;

  try {
    await page.goto(allowedPage.origin);
    const fromAllowed = usageBody(agent);
    const allowed = await call(fromAllowed);
    expect(allowed).toMatchObject({ status: 200, body: { accepted: 1, duplicates: 0 } });
    // An exposed header: without Access-Control-Expose-Headers the page would read null.
    expect((allowed as { remaining: string }).remaining).toMatch(/^\d+$/);
    expect(await stored(fromAllowed)).toBe(1);

    await page.goto(foreignPage.origin);
    const fromForeign = usageBody(agent);
    expect(await call(fromForeign)).toMatchObject({ error: expect.stringContaining("Failed to fetch") });
    // The preflight was refused, so the POST itself was never sent.
    expect(await stored(fromForeign)).toBe(0);
  } finally {
    await allowedPage.close();
    await foreignPage.close();
  }
});
