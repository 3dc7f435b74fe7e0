import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { context, ownerClient, PASSWORD } from "../support/owner-db";

// Served over HTTPS (an https WARDEN_URL), the session lives only in the __Host-
// cookie. A sibling subdomain or a plain-HTTP response can plant `warden.session`
// (session fixation, login CSRF); middleware must not read it. This file sets the
// URL before anything reads the configuration (each test file runs in its own process).
const previousUrl = process.env.WARDEN_URL;
process.env.WARDEN_URL = "https://console.example";

const CONSOLE = "https://console.example";
let owner: pg.Client;
let token: string;
let middleware: typeof import("../../middleware").middleware;
let NextRequest: typeof import("next/server").NextRequest;

beforeAll(async () => {
  ({ middleware } = await import("../../middleware"));
  ({ NextRequest } = await import("next/server"));
  const { hashPassword } = await import("../../lib/auth/password");
  const { signInWithPassword } = await import("../../lib/auth/sign-in-with-password");
  owner = await ownerClient();
  const email = `https-${randomUUID().slice(0, 8)}@example.test`;
  await owner.query(`INSERT INTO users (email, name, password_hash) VALUES ($1, 'Over TLS', $2)`, [email, await hashPassword(PASSWORD)]);
  const result = await signInWithPassword({ email, password: PASSWORD, context: context() });
  if (result.kind !== "session") throw new Error("expected a session");
  token = result.token;
});
afterAll(async () => {
  await owner.end();
  if (previousUrl === undefined) delete process.env.WARDEN_URL;
  else process.env.WARDEN_URL = previousUrl;
});

const visit = (cookie: string) => middleware(new NextRequest(`${CONSOLE}/w/acme`, { headers: { host: "console.example", cookie } }));

describe("session cookie over HTTPS", () => {
  it("a live session under the unprefixed name is not a session: the visitor is sent to sign in", async () => {
    const response = await visit(`warden.session=${token}`);
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toMatch(/^https:\/\/console\.example\/sign-in\?next=/);
  });

  it("the same token under the __Host- name is", async () => {
    const response = await visit(`__Host-warden.session=${token}`);
    expect(response.status).toBe(200);
  });

  it("a dead __Host- cookie is cleared with Secure, or the browser would ignore the removal", async () => {
    const response = await visit(`__Host-warden.session=${"x".repeat(43)}`);
    const cleared = response.headers.get("set-cookie") ?? "";
    expect(cleared).toMatch(/__Host-warden\.session=;/);
    expect(cleared).toMatch(/Secure/i);
    expect(cleared).toMatch(/Path=\//);
  });

  it("CSP violations are also reported through the Reporting API", async () => {
    const response = await visit(`__Host-warden.session=${token}`);
    expect(response.headers.get("content-security-policy")).toContain("report-to csp");
    expect(response.headers.get("reporting-endpoints")).toBe('csp="/api/csp-report"');
  });
});
