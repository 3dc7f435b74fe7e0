import { describe, expect, it, vi } from "vitest";
import { NextRequest } from "next/server";
import { middleware } from "../../middleware";
import { SERVER_ACTION_MAX_BYTES } from "../../lib/http/server-action-body-limit";

// Limits and headers decided in middleware.ts, as Next calls it: HSTS only where
// the console is served over https; an over-sized server action refused as a 413
// (Next itself would answer a 500) before anything reads it.

vi.mock("next/headers", async () => (await import("../support/request-stub")).nextHeaders);

const settings = vi.hoisted(() => ({ url: "http://localhost:3000" }));
vi.mock("../../lib/config", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../lib/config")>();
  return {
    ...real,
    getConfig: () => ({ ...real.getConfig(), WARDEN_URL: settings.url, secureCookies: settings.url.startsWith("https://") }),
  };
});

const req = (path: string, init: { method?: string; headers?: Record<string, string> } = {}) =>
  new NextRequest(new URL(path, settings.url), { method: init.method ?? "GET", headers: { host: new URL(settings.url).host, ...init.headers } });

describe("HSTS", () => {
  it("is sent when the console's public URL is https", async () => {
    settings.url = "https://warden.example";
    const response = await middleware(req("/sign-in"));
    expect(response.headers.get("strict-transport-security")).toBe("max-age=63072000; includeSubDomains");
  });

  it("is not sent when the public URL is plain http (a browser would ignore it, or pin an https the host may not serve)", async () => {
    settings.url = "http://localhost:3000";
    const response = await middleware(req("/sign-in"));
    expect(response.headers.get("strict-transport-security")).toBeNull();
    expect(response.headers.get("content-security-policy")).toContain("'strict-dynamic'");
  });
});

describe("server action bodies", () => {
  const action = (headers: Record<string, string>) => middleware(req("/w/acme/members", { method: "POST", headers: { "next-action": "abc123", origin: settings.url, ...headers } }));

  it("over 1 MB is a 413 that says so, before the session or the action is looked at", async () => {
    settings.url = "http://localhost:3000";
    const response = await action({ "content-length": String(SERVER_ACTION_MAX_BYTES + 1) });
    expect(response.status).toBe(413);
    expect(await response.text()).toContain("larger than 1 MB");
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("without a length is asked for one (411); a malformed length is a 413", async () => {
    settings.url = "http://localhost:3000";
    expect((await action({})).status).toBe(411);
    expect((await action({ "content-length": "1e9" })).status).toBe(413);
  });

  it("at 1 MB or less goes on to the action", async () => {
    settings.url = "http://localhost:3000";
    const response = await action({ "content-length": String(SERVER_ACTION_MAX_BYTES) });
    expect(response.status).not.toBe(413);
    expect(response.status).not.toBe(411);
  });

  it("a plain form post or an API call is not a server action and is not gated here", async () => {
    settings.url = "http://localhost:3000";
    const api = await middleware(req("/api/v1/usage/events", { method: "POST", headers: { "content-length": String(SERVER_ACTION_MAX_BYTES * 2) } }));
    expect(api.status).not.toBe(413);
  });
});
