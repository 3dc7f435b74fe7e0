import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import type pg from "pg";
import { randomUUID } from "node:crypto";
import { context, ownerClient, PASSWORD } from "../support/owner-db";
import { hashPassword } from "../../lib/auth/password";
import { middleware } from "../../middleware";
import { signInWithPassword } from "../../lib/auth/sign-in-with-password";
import { crossSiteRefusal } from "../../lib/security/cross-site-request";
import { CLIENT_REQUEST_ID_HEADER } from "../../lib/http/header-names";

// middleware.ts, called the way Next calls it, on the paths an attacker aims at.
// The test configuration serves the console at WARDEN_URL http://localhost:3000.

const CONSOLE = "http://localhost:3000";
const req = (path: string, init: { method?: string; headers?: Record<string, string> } = {}) =>
  new NextRequest(new URL(path, CONSOLE), { method: init.method ?? "GET", headers: { host: "localhost:3000", ...init.headers } });

let owner: pg.Client;
let token: string;
let sessionId: string;

beforeAll(async () => {
  owner = await ownerClient();
  // A person with no workspace: nothing here depends on one.
  const email = `guards-${randomUUID().slice(0, 8)}@example.test`;
  await owner.query(`INSERT INTO users (email, name, password_hash) VALUES ($1, 'Guarded', $2)`, [email, await hashPassword(PASSWORD)]);
  const result = await signInWithPassword({ email, password: PASSWORD, context: context() });
  if (result.kind !== "session") throw new Error("expected a session");
  ({ token, sessionId } = result);
});
afterAll(() => owner.end());

const live = async () => (await owner.query(`SELECT revoked_at FROM sessions WHERE id = $1`, [sessionId])).rows[0].revoked_at === null;

describe("cross-site writes", () => {
  const form = { "content-type": "application/x-www-form-urlencoded" };

  it.each(["/api/auth/callback/credentials", "/api/auth/signout", "/w/acme/members", "/account/security"])("a POST to %s from a foreign Origin is refused with 403 before it runs", async (path) => {
    const response = await middleware(req(path, { method: "POST", headers: { ...form, origin: "https://evil.example", cookie: `warden.session=${token}` } }));
    expect(response.status).toBe(403);
    expect(await response.text()).toMatch(/Cross-site request refused/);
    expect(response.headers.get("content-security-policy")).toContain("default-src 'self'");
  });

  it("a server action posted from a foreign Origin answers 403, not 500, and the session it carried survives", async () => {
    const response = await middleware(
      req("/w/acme/members", { method: "POST", headers: { origin: "http://localhost.evil.example:3000", "next-action": "0123abcd", cookie: `warden.session=${token}` } }),
    );
    expect(response.status).toBe(403);
    expect(await live()).toBe(true);
  });

  it("without Origin, a foreign Referer is refused; with neither, a request carrying a session is refused", async () => {
    const cookie = `warden.session=${token}`;
    expect((await middleware(req("/api/auth/signout", { method: "POST", headers: { ...form, referer: "https://evil.example/page", cookie } }))).status).toBe(403);
    expect((await middleware(req("/api/auth/signout", { method: "POST", headers: { ...form, cookie } }))).status).toBe(403);
    expect((await middleware(req("/api/auth/signout", { method: "POST", headers: { ...form, origin: "null", cookie } }))).status).toBe(403);
  });

  it("the console's own pages may post: same Origin, same-origin Referer, or the Host the request was sent to", async () => {
    const ownPages: Record<string, string>[] = [{ origin: CONSOLE }, { referer: `${CONSOLE}/sign-in?next=/w` }];
    for (const headers of ownPages) {
      const response = await middleware(req("/api/auth/callback/credentials", { method: "POST", headers: { ...form, ...headers } }));
      expect(response.status).not.toBe(403);
    }
    // Reached as 127.0.0.1 in development: the browser's Origin matches the Host it sent.
    const byAddress = new NextRequest("http://127.0.0.1:3000/api/auth/callback/credentials", { method: "POST", headers: { host: "127.0.0.1:3000", origin: "http://127.0.0.1:3000" } });
    expect((await middleware(byAddress)).status).not.toBe(403);
    // GET is never refused for its Origin.
    expect((await middleware(req("/api/health", { headers: { origin: "https://evil.example" } }))).status).not.toBe(403);
  });

  it("behind a trusted proxy the forwarded host and scheme count as the console; untrusted, they do not", () => {
    const headers = new Headers({ host: "10.0.0.5:3000", "x-forwarded-host": "console.example", "x-forwarded-proto": "https", origin: "https://console.example" });
    const base = { method: "POST", path: "/api/auth/signout", headers, protocol: "http:", hasSession: true, wardenUrl: "https://warden.example" };
    expect(crossSiteRefusal({ ...base, trustProxyHops: 1 })).toBeNull();
    expect(crossSiteRefusal({ ...base, trustProxyHops: 0 })).toBe("foreign origin");
    // API keys, not cookies, authenticate /api/v1: nothing ambient for a foreign page to use.
    expect(crossSiteRefusal({ ...base, path: "/api/v1/audit/events", headers: new Headers({ origin: "https://evil.example" }), trustProxyHops: 0 })).toBeNull();
  });
});

describe("request ids", () => {
  it("the server always names the request itself; a client's id travels only as the client request id and cannot be forged there", async () => {
    const response = await middleware(req("/sign-in", { headers: { "x-request-id": "client-chosen-id-1234", [CLIENT_REQUEST_ID_HEADER]: "forged" } }));
    const serverId = response.headers.get("x-request-id");
    expect(serverId).toMatch(/^[0-9a-f-]{36}$/);
    expect(serverId).not.toBe("client-chosen-id-1234");
    expect(response.headers.get(`x-middleware-request-${CLIENT_REQUEST_ID_HEADER}`)).toBe("client-chosen-id-1234");
    expect(response.headers.get("x-middleware-request-x-request-id")).toBe(serverId);

    const malformed = await middleware(req("/sign-in", { headers: { "x-request-id": "<script>", [CLIENT_REQUEST_ID_HEADER]: "forged-but-plain" } }));
    expect(malformed.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    // A copy the client sent itself is removed, not passed on.
    expect(malformed.headers.get(`x-middleware-request-${CLIENT_REQUEST_ID_HEADER}`)).toBeNull();
  });
});

describe("session cookie name", () => {
  it("over plain HTTP the unprefixed cookie is the session; a __Host- one is not read", async () => {
    expect((await middleware(req("/w/acme", { headers: { cookie: `warden.session=${token}` } }))).status).toBe(200);
    const prefixed = await middleware(req("/w/acme", { headers: { cookie: `__Host-warden.session=${token}` } }));
    expect(prefixed.status).toBe(307);
    expect(prefixed.headers.get("location")).toBe(`${CONSOLE}/sign-in?next=%2Fw%2Facme`);
  });
});

describe("sign-in redirect", () => {
  it.each(["/.//evil.example", "/..//evil.example", "/%2e//evil.example", "/%2e%2e//evil.example", "/a/..//evil.example/x", "//evil.example", "/\\evil.example"])(
    "a protected path built to normalise into another host (%s) never becomes the return path",
    async (path) => {
      const request = new NextRequest(`${CONSOLE}/w`, { headers: { host: "localhost:3000" } });
      // Set the raw path after construction: the URL parser would otherwise resolve the dot segments first.
      request.nextUrl.pathname = path;
      const response = await middleware(request);
      const location = new URL(response.headers.get("location") ?? "/", CONSOLE);
      const next = location.searchParams.get("next") ?? "/";
      expect(new URL(next, CONSOLE).origin).toBe(CONSOLE);
      expect(next.startsWith("//") || next.startsWith("/\\")).toBe(false);
    },
  );
});
