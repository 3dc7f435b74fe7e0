import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type pg from "pg";
import { randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import { ownerClient, PASSWORD, seedMember, seedWorkspace, type SeededWorkspace } from "../support/owner-db";
import { generateSessionToken, hashToken } from "../../lib/auth/session-token";

vi.mock("next-auth", async () => (await import("../support/next-auth-route")).nextAuthModule);
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
  const cookie = response.headers.getSetCookie().map((c: string) => c.split(";")[0]).join("; ");
  return { csrfToken, cookie };
}

/** A POST to the credentials callback with a raw body, exactly as a client could send it. */
async function post(body: string, options: { ip?: string; contentType?: string } = {}) {
  const ip = options.ip ?? freshIp();
  const { csrfToken, cookie } = await csrf(ip);
  const request = new NextRequest(`${BASE}/callback/credentials`, {
    method: "POST",
    headers: {
      host: "localhost:3000", cookie, "x-warden-ip": ip, "x-request-id": `req-${randomUUID()}`,
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
    const response = await post(form([["email", member.email], ["password", PASSWORD]]));
    expect(response.status).toBe(200);
    expect(await errorOf(response)).toBeNull();
    expect(response.headers.getSetCookie().some((c: string) => c.startsWith("warden.session="))).toBe(true);
  });

  it("refuses a repeated email (email=decoy&email=victim) with 400, without evaluating the victim's password", async () => {
    const victim = await seedMember(owner, ws.workspaceId, "owner");
    const hash = await storedHash(victim.id);
    verifications.length = 0;
    for (let i = 0; i < 12; i++) {
      const response = await post(form([["email", `decoy-${i}@example.test`], ["email", victim.email], ["password", `guess-${i}`]]));
      expect(response.status).toBe(400);
    }
    expect(verifications.filter((phc) => phc === hash)).toHaveLength(0);
    const failures = await owner.query(`SELECT count(*)::int AS n FROM sign_in_failures WHERE user_id = $1`, [victim.id]);
    expect(failures.rows[0].n).toBe(0);
  });

  it("refuses unexpected fields and a JSON body with 400", async () => {
    const member = await seedMember(owner, ws.workspaceId, "viewer");
    expect((await post(form([["email", member.email], ["password", PASSWORD], ["role", "owner"]]))).status).toBe(400);
    expect((await post(form([["email", member.email], ["password", PASSWORD], ["challenge", "x".repeat(43)]]))).status).toBe(400);
    const json = JSON.stringify({ email: member.email, password: PASSWORD, csrfToken: "CSRF", callbackUrl: "/", json: "true" });
    expect((await post(json, { contentType: "application/json" })).status).toBe(400);
  });

  it("keys the per-account limit on exactly the email next-auth verifies: spelled differently, it is still one bucket", async () => {
    const victim = await seedMember(owner, ws.workspaceId, "viewer");
    const spellings = [victim.email, victim.email.toUpperCase(), `  ${victim.email} `];
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await post(form([["email", spellings[i % 3]], ["password", `guess-${i}`]]))).status);
    expect(statuses.slice(0, 10)).not.toContain(429);
    expect(statuses[10]).toBe(429);
  });
});

describe("per-address limits", () => {
  it("count an IPv6 client on its /64: the sixth try from anywhere in the /64 is refused, a neighbouring /64 is not", async () => {
    const prefix = `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:${Math.floor(Math.random() * 0xfff).toString(16)}`;
    const statuses: number[] = [];
    for (let i = 1; i <= 6; i++) {
      statuses.push((await post(form([["email", `nobody-${randomUUID()}@example.test`], ["password", "guess"]]), { ip: `${prefix}:${i}::${i}` })).status);
    }
    expect(statuses.slice(0, 5)).not.toContain(429);
    expect(statuses[5]).toBe(429);
    const neighbour = `${prefix.replace(/:[0-9a-f]+$/, "")}:${(parseInt(prefix.split(":").pop()!, 16) + 1).toString(16)}::1`;
    expect((await post(form([["email", `nobody-${randomUUID()}@example.test`], ["password", "guess"]]), { ip: neighbour })).status).not.toBe(429);
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
    const response = await post(form([["challenge", challenge], ["code", "123456"], ["email", `random-${randomUUID()}@example.test`]]));
    expect(response.status).toBe(400);
  });

  it("MFA-step tries count against the challenge owner's account, the same bucket as their password tries", async () => {
    const member = await seedMember(owner, ws.workspaceId, "viewer");
    for (let i = 0; i < 10; i++) expect((await post(form([["email", member.email], ["password", `guess-${i}`]]))).status).not.toBe(429);
    const challenge = await challengeFor(member.id);
    const response = await post(form([["challenge", challenge], ["code", "123456"]]));
    expect(response.status).toBe(429);
  });
});
