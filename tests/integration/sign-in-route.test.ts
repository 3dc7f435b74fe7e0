import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type pg from "pg";
import { randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import { ownerClient, PASSWORD, seedMember, seedWorkspace, type SeededWorkspace } from "../support/owner-db";
import { generateSessionToken, hashToken } from "../../lib/auth/session-token";

vi.mock("next-auth", async () => (await import("../support/next-auth-route")).nextAuthModule);
// Sign-out's audit row reads the request context through next/headers, which exists only inside Next.js.
vi.mock("../../lib/http/request-context", () => ({ getRequestContext: async () => ({ ip: null, userAgent: null, requestId: null }) }));
// Every Argon2 verification, with the hash it ran against.
const verifications = vi.hoisted(() => [] as string[]);
vi.mock("../../lib/auth/password", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../lib/auth/password")>();
  return {
    ...original,
    verifyPassword: async (phc: string, password: string) => {
      verifications.push(phc);
      return original.verifyPassword(phc, password);
    },
  };
});

process.env.NEXTAUTH_URL = "http://localhost:3000";
const { GET, POST } = await import("../../app/api/auth/[...nextauth]/route");

let owner: pg.Client;
let ws: SeededWorkspace;
beforeAll(async () => {
  owner = await ownerClient();
  ws = await seedWorkspace(owner, "route");
});
afterAll(() => owner.end());

const BASE = "http://localhost:3000/api/auth";
const freshIp = () => `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}`;
const params = (...segments: string[]) => ({ params: Promise.resolve({ nextauth: segments }) });

/** next-auth's CSRF token and cookie, as the browser fetches them first. */
async function csrf(ip: string) {
  const response = await GET(new NextRequest(`${BASE}/csrf`, { headers: { host: "localhost:3000", "x-warden-ip": ip } }), params("csrf"));
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  const cookie = response.headers
    .getSetCookie()
    .map((c: string) => c.split(";")[0])
    .join("; ");
  return { csrfToken, cookie };
}

/** A POST to the credentials callback with a raw body, exactly as a client could send it. */
async function post(body: string, options: { ip?: string; contentType?: string } = {}) {
  const ip = options.ip ?? freshIp();
  const { csrfToken, cookie } = await csrf(ip);
  const request = new NextRequest(`${BASE}/callback/credentials`, {
    method: "POST",
    headers: {
      host: "localhost:3000",
      cookie,
      "x-warden-ip": ip,
      "x-request-id": `req-${randomUUID()}`,
      "content-type": options.contentType ?? "application/x-www-form-urlencoded",
    },
    body: body.replaceAll("CSRF", encodeURIComponent(csrfToken)),
  });
  return POST(request, params("callback", "credentials"));
}
const form = (fields: [string, string][]) => new URLSearchParams([...fields, ["csrfToken", "CSRF"], ["callbackUrl", "/"], ["json", "true"]]).toString();
const errorOf = async (response: Response) => new URL(((await response.json()) as { url: string }).url, BASE).searchParams.get("error");
const storedHash = async (userId: string) => (await owner.query(`SELECT password_hash FROM users WHERE id = $1`, [userId])).rows[0].password_hash as string;

describe("the credentials endpoint reads its body once", () => {
  it("signs in through the route with the browser's form", async () => {
    const member = await seedMember(owner, ws.workspaceId, "viewer");
    const response = await post(
      form([
        ["email", member.email],
        ["password", PASSWORD],
      ]),
    );
    expect(response.status).toBe(200);
    expect(await errorOf(response)).toBeNull();
    expect(response.headers.getSetCookie().some((c: string) => c.startsWith("warden.session="))).toBe(true);
  });

  it("refuses a repeated email (email=decoy&email=victim) with 400, without evaluating the victim's password", async () => {
    const victim = await seedMember(owner, ws.workspaceId, "owner");
    const hash = await storedHash(victim.id);
    verifications.length = 0;
    for (let i = 0; i < 12; i++) {
      const response = await post(
        form([
          ["email", `decoy-${i}@example.test`],
          ["email", victim.email],
          ["password", `guess-${i}`],
        ]),
      );
      expect(response.status).toBe(400);
    }
    expect(verifications.filter((phc) => phc === hash)).toHaveLength(0);
    const failures = await owner.query(`SELECT count(*)::int AS n FROM sign_in_failures WHERE user_id = $1`, [victim.id]);
    expect(failures.rows[0].n).toBe(0);
  });

  it("refuses unexpected fields and a JSON body with 400", async () => {
    const member = await seedMember(owner, ws.workspaceId, "viewer");
    expect(
      (
        await post(
          form([
            ["email", member.email],
            ["password", PASSWORD],
            ["role", "owner"],
          ]),
        )
      ).status,
    ).toBe(400);
    expect(
      (
        await post(
          form([
            ["email", member.email],
            ["password", PASSWORD],
            ["challenge", "x".repeat(43)],
          ]),
        )
      ).status,
    ).toBe(400);
    const json = JSON.stringify({ email: member.email, password: PASSWORD, csrfToken: "CSRF", callbackUrl: "/", json: "true" });
    expect((await post(json, { contentType: "application/json" })).status).toBe(400);
  });

  it("keys the per-account limit on exactly the email next-auth verifies: spelled differently, it is still one bucket", async () => {
    const victim = await seedMember(owner, ws.workspaceId, "viewer");
    const spellings = [victim.email, victim.email.toUpperCase(), `  ${victim.email} `];
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++)
      statuses.push(
        (
          await post(
            form([
              ["email", spellings[i % 3]],
              ["password", `guess-${i}`],
            ]),
          )
        ).status,
      );
    expect(statuses.slice(0, 10)).not.toContain(429);
    expect(statuses[10]).toBe(429);
  });
});

describe("per-address limits", () => {
  it("count an IPv6 client on its /64: the sixth try from anywhere in the /64 is refused, a neighbouring /64 is not", async () => {
    const prefix = `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:${Math.floor(Math.random() * 0xfff).toString(16)}`;
    const statuses: number[] = [];
    for (let i = 1; i <= 6; i++) {
      statuses.push(
        (
          await post(
            form([
              ["email", `nobody-${randomUUID()}@example.test`],
              ["password", "guess"],
            ]),
            { ip: `${prefix}:${i}::${i}` },
          )
        ).status,
      );
    }
    expect(statuses.slice(0, 5)).not.toContain(429);
    expect(statuses[5]).toBe(429);
    const neighbour = `${prefix.replace(/:[0-9a-f]+$/, "")}:${(parseInt(prefix.split(":").pop()!, 16) + 1).toString(16)}::1`;
    expect(
      (
        await post(
          form([
            ["email", `nobody-${randomUUID()}@example.test`],
            ["password", "guess"],
          ]),
          { ip: neighbour },
        )
      ).status,
    ).not.toBe(429);
  });
});

describe("the MFA step's limits come from the server's record of the challenge", () => {
  const challengeFor = async (userId: string) => {
    const token = generateSessionToken();
    await owner.query(`INSERT INTO mfa_challenges (user_id, token_hash, expires_at) VALUES ($1, $2, now() + interval '5 minutes')`, [userId, hashToken(token)]);
    return token;
  };

  it("a client field such as email cannot pick the MFA step's bucket: it is refused with 400", async () => {
    const member = await seedMember(owner, ws.workspaceId, "viewer");
    const challenge = await challengeFor(member.id);
    const response = await post(
      form([
        ["challenge", challenge],
        ["code", "123456"],
        ["email", `random-${randomUUID()}@example.test`],
      ]),
    );
    expect(response.status).toBe(400);
  });

  it("MFA-step tries count against the challenge owner's account, the same bucket as their password tries", async () => {
    const member = await seedMember(owner, ws.workspaceId, "viewer");
    for (let i = 0; i < 10; i++)
      expect(
        (
          await post(
            form([
              ["email", member.email],
              ["password", `guess-${i}`],
            ]),
          )
        ).status,
      ).not.toBe(429);
    const challenge = await challengeFor(member.id);
    const response = await post(
      form([
        ["challenge", challenge],
        ["code", "123456"],
      ]),
    );
    expect(response.status).toBe(429);
  });
});

describe("next-auth's endpoints answer bad input with a 4xx or a redirect, never a 5xx", () => {
  type Options = { method?: string; cookie?: string; body?: string };
  /** One request to the route handler; `path` is what follows /api/auth/, its segments decoded as Next.js hands them over. */
  async function call(path: string, options: Options = {}) {
    const [pathname, query = ""] = path.split("?");
    const segments = pathname.split("/").map(decodeURIComponent);
    const method = options.method ?? "GET";
    const headers: Record<string, string> = { host: "localhost:3000", "x-warden-ip": freshIp() };
    if (options.cookie) headers.cookie = options.cookie;
    if (options.body !== undefined) headers["content-type"] = "application/x-www-form-urlencoded";
    const request = new NextRequest(`${BASE}/${pathname}${query ? `?${query}` : ""}`, { method, headers, body: options.body });
    const response = await (method === "POST" ? POST : GET)(request, params(...segments));
    expect(response.status, `${method} /api/auth/${path}`).toBeLessThan(500);
    return response;
  }
  const location = (response: Response) => response.headers.get("location");

  it("a GET on the credentials callback is 405 (it takes the form's POST), with or without a query", async () => {
    for (const path of ["callback/credentials", "callback/credentials?callbackUrl=%2F", "callback/credentials?error=x&csrf=true", "callback/nonsense"]) {
      const response = await call(path);
      expect(response.status).toBe(405);
      expect(response.headers.get("allow")).toBe("POST");
    }
  });

  it("a callbackUrl next-auth cannot parse (NUL, control characters, javascript:) is refused with 400 on every endpoint", async () => {
    for (const endpoint of ["csrf", "session", "providers", "signin", "signout", "error"]) {
      for (const bad of ["%00", "%2F%00", "%2Fa%0D%0ALocation%3A%20x", "javascript%3Aalert(1)", "%01", `%2F${"a".repeat(3000)}`]) {
        expect((await call(`${endpoint}?callbackUrl=${bad}`)).status).toBe(400);
      }
    }
    expect((await call("%00?callbackUrl=%00")).status).toBe(404);
  });

  it("an error that next-auth would copy raw into a Location header (NUL, U+202E, spaces) is refused with 400", async () => {
    for (const endpoint of ["error", "signin"]) {
      for (const bad of ["%00", "a%E2%80%AEb", "%01", "a%0Db", "a%20b", "%3Cscript%3E"]) expect((await call(`${endpoint}?error=${bad}`)).status).toBe(400);
    }
    expect((await call("error/%00")).status).toBe(404);
    expect((await call("error/a%E2%80%AEb")).status).toBe(404);
    // next-auth's own codes still lead back to the sign-in page.
    expect(location(await call("error?error=CredentialsSignin"))).toBe("http://localhost:3000/api/auth/signin?error=CredentialsSignin");
    expect(location(await call("signin?error=CredentialsSignin"))).toBe("/sign-in?callbackUrl=http%3A%2F%2Flocalhost%3A3000&error=CredentialsSignin");
  });

  it("a junk callback cookie is refused with 400 and cleared; the next request without it works", async () => {
    for (const junk of ["%00", "%2F%00", "javascript%3Aalert(1)", "%01%02", "not a url", "%E2%80%AE"]) {
      for (const endpoint of ["csrf", "session", "providers", "signin", "signout"]) {
        const response = await call(endpoint, { cookie: `warden.callback=${junk}` });
        expect(response.status, `${endpoint} with warden.callback=${junk}`).toBe(400);
        expect(response.headers.getSetCookie().some((c: string) => c.startsWith("warden.callback=;") && /Max-Age=0/i.test(c))).toBe(true);
      }
      // The name used over HTTPS is not read on this plain-HTTP instance; it is no error either.
      expect((await call("csrf", { cookie: `__Secure-warden.callback=${junk}` })).status).toBe(200);
    }
    expect((await call("csrf")).status).toBe(200);
  });

  it("an off-site callbackUrl (query, body or cookie) is never followed: only a same-origin relative path is", async () => {
    const offSite = ["https://evil.example/x", "//evil.example", "/\\evil.example", "/.//evil.example", "/%2e%2e//evil.example", "http://localhost:3000//evil.example", "HTTPS://evil.example"];
    for (const target of offSite) {
      expect(location(await call(`signin?callbackUrl=${encodeURIComponent(target)}`)), target).toBe("/sign-in?callbackUrl=%2F");
      const cookie = await call("csrf", { cookie: `warden.callback=${encodeURIComponent(target)}` });
      const set = cookie.headers.getSetCookie().find((c: string) => c.startsWith("warden.callback="));
      if (cookie.status === 200) expect(set?.split(";")[0], target).toBe("warden.callback=%2F");
    }
    expect(location(await call(`signin?callbackUrl=${encodeURIComponent("http://localhost:3000/w/acme?x=1")}`))).toBe("/sign-in?callbackUrl=%2Fw%2Facme%3Fx%3D1");

    const member = await seedMember(owner, ws.workspaceId, "viewer");
    for (const target of ["https://evil.example/x", "/.//evil.example", "/a\u0000b"]) {
      const fields = new URLSearchParams([
        ["email", member.email],
        ["password", PASSWORD],
        ["csrfToken", "CSRF"],
        ["callbackUrl", target],
        ["json", "true"],
      ]);
      const response = await post(fields.toString());
      expect(response.status).toBe(200);
      expect(((await response.json()) as { url: string }).url).toBe("/");
    }
  });

  it("unknown endpoints are 404 and methods other than GET and POST are 405", async () => {
    for (const path of ["nonsense", "%00", "verify-request", "session/extra", "signin/github", "csrf/a/b"]) expect((await call(path)).status).toBe(404);
    for (const path of ["nonsense", "signin", "session", "_log", "callback/github"]) expect((await call(path, { method: "POST", body: "a=b" })).status).toBe(404);
    // Next.js runs GET for HEAD; PUT, DELETE and PATCH have no handler, so Next.js answers 405 itself.
    const head = await call("session", { method: "HEAD" });
    expect(head.status).toBe(405);
    const route = await import("../../app/api/auth/[...nextauth]/route");
    expect(
      Object.keys(route)
        .filter((name) => /^[A-Z]+$/.test(name))
        .sort(),
    ).toEqual(["GET", "POST"]);
  });

  it("no endpoint answers a 5xx to the fuzz walk's queries and cookies", async () => {
    const endpoints = ["session", "csrf", "providers", "signin", "signout", "error", "callback/credentials", "%00", "nonsense"];
    const queries = [
      "",
      "callbackUrl=%00",
      "error=%00",
      "error=a%E2%80%AEb",
      "callbackUrl=a&callbackUrl=b",
      "%00=%00",
      "next=a&next=b",
      "csrf=true",
      "error=MFA_REQUIRED%3Aabc",
      `q=${"x".repeat(4000)}`,
    ];
    const cookies = [undefined, "warden.callback=%00", "warden.csrf=%00%7C%00", "warden.session=%00", "warden.session.0=x"];
    for (const endpoint of endpoints) for (const query of queries) for (const cookie of cookies) await call(query ? `${endpoint}?${query}` : endpoint, { cookie });
  });

  it("the real flow still works: CSRF token, sign-in, session, sign-out", async () => {
    const member = await seedMember(owner, ws.workspaceId, "viewer");
    const ip = freshIp();
    const { csrfToken, cookie } = await csrf(ip);
    const signIn = await POST(
      new NextRequest(`${BASE}/callback/credentials`, {
        method: "POST",
        headers: { host: "localhost:3000", cookie, "x-warden-ip": ip, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ email: member.email, password: PASSWORD, csrfToken, callbackUrl: "/w/route?tab=1", json: "true" }).toString(),
      }),
      params("callback", "credentials"),
    );
    expect(signIn.status).toBe(200);
    expect(((await signIn.json()) as { url: string }).url).toBe("/w/route?tab=1");
    const session = signIn.headers
      .getSetCookie()
      .find((c: string) => c.startsWith("warden.session="))!
      .split(";")[0];
    const cookies = `${cookie}; ${session}`;

    const current = await call("session", { cookie: cookies });
    expect(current.status).toBe(200);
    expect(((await current.json()) as { expires?: string }).expires).toBeTruthy();

    const signOut = await call("signout", { method: "POST", cookie: cookies, body: new URLSearchParams({ csrfToken, callbackUrl: "/sign-in", json: "true" }).toString() });
    expect(signOut.status).toBe(200);
    expect(((await signOut.json()) as { url: string }).url).toBe("/sign-in");
    expect(await (await call("session", { cookie: cookies })).json()).toEqual({});
  });
});
