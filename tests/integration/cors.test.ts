import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { NextRequest } from "next/server";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type pg from "pg";
import { ownerClient, seedWorkspace } from "../support/owner-db";
import { jsonRequest, seedAgent, seedRuntimeKey } from "../support/seed-agents";
import { middleware } from "../../middleware";
import { POST as postUsage } from "../../app/api/v1/usage/events/route";
import { GET as getAudit } from "../../app/api/v1/audit/route";
import { USAGE_BODY_MAX_BYTES } from "../../lib/usage/schemas";

// CORS on /api/v1, decided in middleware.ts as Next calls it. Whether Next really
// copies these headers onto a route handler's answer is proven against a running
// server in tests/e2e/cors.spec.ts; here, that the handlers never set (and so never
// contradict) an Access-Control-* header of their own, whatever they answer.

vi.mock("next/headers", async () => (await import("../support/request-stub")).nextHeaders);

const settings = vi.hoisted(() => ({ origins: [] as string[] }));
vi.mock("../../lib/config", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../lib/config")>();
  return { ...real, getConfig: () => ({ ...real.getConfig(), WARDEN_ALLOWED_ORIGINS: settings.origins }) };
});

const CONSOLE = "http://localhost:3000";
const APP = "https://app.example";
const OTHER = "https://evil.example";

const req = (path: string, init: { method?: string; headers?: Record<string, string> } = {}) =>
  new NextRequest(new URL(path, CONSOLE), { method: init.method ?? "GET", headers: { host: "localhost:3000", ...init.headers } });
const preflight = (path: string, origin: string) =>
  middleware(req(path, { method: "OPTIONS", headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type, idempotency-key" } }));
const accessControl = (response: Response) => [...response.headers.keys()].filter((name) => name.startsWith("access-control-"));

const API_PATHS = ["/api/v1/usage/events", "/api/v1/agents/00000000-0000-4000-8000-000000000000/authorizations", "/api/v1/audit", "/api/v1/openapi.json", "/api/v1/no-such-route"];
const OTHER_PATHS = ["/metrics", "/api/health", "/api/auth/session", "/sign-in", "/w/acme", "/api/v1x"];

let owner: pg.Client;
beforeAll(async () => {
  owner = await ownerClient();
});
afterAll(() => owner.end());

describe("CORS preflight on /api/v1", () => {
  it.each(API_PATHS)("an allowed origin's preflight to %s answers 204 with exactly what may be sent, never credentials", async (path) => {
    settings.origins = [APP, "http://localhost:5173"];
    const response = await preflight(path, APP);
    expect(response.status).toBe(204);
    const h = response.headers;
    expect(h.get("access-control-allow-origin")).toBe(APP);
    expect(h.get("vary")).toBe("Origin");
    expect(h.get("access-control-allow-methods")).toBe("GET, POST");
    expect(h.get("access-control-allow-headers")).toBe("Authorization, Content-Type, Idempotency-Key");
    expect(h.get("access-control-max-age")).toBe("600");
    expect(h.get("access-control-expose-headers")).toBe("RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Retry-After, X-Request-Id");
    expect(h.has("access-control-allow-credentials")).toBe(false);
    // Answered in middleware: never passed on to a route.
    expect(h.has("x-middleware-next")).toBe(false);
  });

  it("a preflight from an origin not on the list is refused with 403 and a JSON error, with no Access-Control-* header", async () => {
    settings.origins = [APP];
    for (const origin of [OTHER, `${APP}:443`, "https://app.example.evil.example", "null", CONSOLE]) {
      const response = await preflight("/api/v1/usage/events", origin);
      expect(response.status, origin).toBe(403);
      expect(accessControl(response), origin).toEqual([]);
      const body = await response.json();
      expect(body).toEqual({
        error: { code: "forbidden", reason: "origin_not_allowed", message: expect.stringContaining("WARDEN_ALLOWED_ORIGINS"), request_id: response.headers.get("x-request-id") },
      });
    }
  });

  it("with no origin configured, every preflight is refused and no answer carries an Access-Control-* header", async () => {
    settings.origins = [];
    for (const origin of [APP, OTHER]) {
      const refused = await preflight("/api/v1/audit", origin);
      expect(refused.status).toBe(403);
      expect(accessControl(refused)).toEqual([]);
      const actual = await middleware(req("/api/v1/audit", { headers: { origin } }));
      expect(accessControl(actual)).toEqual([]);
      expect(actual.headers.get("vary")).toBeNull();
    }
  });

  it('"*" (development only) admits any origin with Access-Control-Allow-Origin: *, never with credentials', async () => {
    settings.origins = ["*"];
    const response = await preflight("/api/v1/usage/events", OTHER);
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.has("access-control-allow-credentials")).toBe(false);
    const actual = await middleware(req("/api/v1/audit", { headers: { origin: OTHER } }));
    expect(actual.headers.get("access-control-allow-origin")).toBe("*");
  });
});

describe("CORS headers on /api/v1 answers", () => {
  it("a request from an allowed origin goes on to its route with Allow-Origin, Vary: Origin and the exposed headers", async () => {
    settings.origins = [APP];
    for (const method of ["GET", "POST"]) {
      const response = await middleware(req("/api/v1/usage/events", { method, headers: { origin: APP, authorization: "Bearer wdn_live_x" } }));
      expect(response.headers.get("x-middleware-next")).toBe("1");
      expect(response.headers.get("access-control-allow-origin")).toBe(APP);
      expect(response.headers.get("vary")).toBe("Origin");
      expect(response.headers.get("access-control-expose-headers")).toContain("RateLimit-Remaining");
      expect(response.headers.has("access-control-allow-credentials")).toBe(false);
    }
    // An OPTIONS that is no preflight (no Access-Control-Request-Method) goes on to Next's own answer, with the headers.
    const options = await middleware(req("/api/v1/audit", { method: "OPTIONS", headers: { origin: APP } }));
    expect(options.headers.get("x-middleware-next")).toBe("1");
    expect(options.headers.get("access-control-allow-origin")).toBe(APP);
  });

  it("a request from another origin, or with none, still reaches its route (the key decides) but carries no Access-Control-* header", async () => {
    settings.origins = [APP];
    for (const headers of [{ origin: OTHER }, {} as Record<string, string>]) {
      const response = await middleware(req("/api/v1/usage/events", { method: "POST", headers: { ...headers, authorization: "Bearer wdn_live_x" } }));
      expect(response.headers.get("x-middleware-next")).toBe("1");
      expect(accessControl(response)).toEqual([]);
      // Still varies by Origin, so no cache hands this answer to an allowed origin.
      expect(response.headers.get("vary")).toBe("Origin");
    }
  });

  it.each(OTHER_PATHS)("%s gets no CORS header and no CORS preflight answer, even from an allowed origin", async (path) => {
    settings.origins = [APP];
    const actual = await middleware(req(path, { headers: { origin: APP } }));
    expect(accessControl(actual)).toEqual([]);
    const pre = await preflight(path, APP);
    expect(accessControl(pre)).toEqual([]);
    expect(pre.status).not.toBe(204);
  });

  it("route handlers set no Access-Control-* header of their own on any answer: 200, 400, 401, 403, 413", async () => {
    settings.origins = [APP];
    const ws = await seedWorkspace(owner, "cors");
    const agent = await seedAgent(owner, ws.workspaceId);
    const { key } = await seedRuntimeKey(owner, ws.workspaceId, ws.ownerId, ["runtime:usage"]);
    const url = "http://warden.test/api/v1/usage/events";
    const event = { id: "c1", type: "conversation.started", agent, occurred_at: new Date(Date.now() - 60_000).toISOString() };
    const answers = [
      await postUsage(jsonRequest(url, key, { events: [event] })),
      await postUsage(jsonRequest(url, key, { events: "nope" })),
      await postUsage(jsonRequest(url, "wdn_live_not-a-key", { events: [event] })),
      await postUsage(jsonRequest(url, key, null, { raw: `{"events":[${" ".repeat(USAGE_BODY_MAX_BYTES)}]}` })),
      await getAudit(new Request("http://warden.test/api/v1/audit", { headers: { authorization: `Bearer ${key}` } })),
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 400, 401, 413, 403]);
    for (const answer of answers) expect(accessControl(answer)).toEqual([]);
  });

  it("no /api/v1 route exports OPTIONS: middleware alone answers preflights", () => {
    const routes = (dir: string): string[] =>
      readdirSync(dir).flatMap((entry) => {
        const path = join(dir, entry);
        return statSync(path).isDirectory() ? routes(path) : entry === "route.ts" ? [path] : [];
      });
    const files = routes("app/api/v1");
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) expect(readFileSync(file, "utf8"), file).not.toMatch(/export\s+(const|async function|function)\s+OPTIONS\b/);
  });
});
