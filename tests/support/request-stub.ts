import { randomUUID } from "node:crypto";
import type pg from "pg";
import { generateSessionToken, hashToken } from "../../lib/auth/session-token";

// Server actions and session routes read the cookie and the request headers
// through next/headers. Outside a request, tests stand them in with this jar:
//   vi.mock("next/headers", async () => (await import("../support/request-stub")).nextHeaders);

export const cookieJar = new Map<string, string>();

export const nextHeaders = {
  cookies: async () => ({
    get: (name: string) => (cookieJar.has(name) ? { name, value: cookieJar.get(name) } : undefined),
    has: (name: string) => cookieJar.has(name),
    set: (name: string, value: string) => void cookieJar.set(name, value),
    delete: (name: string) => void cookieJar.delete(name),
    getAll: () => [...cookieJar].map(([name, value]) => ({ name, value })),
  }),
  headers: async () => new Headers({ "x-request-id": `req-test-${randomUUID()}`, "x-warden-ip": "203.0.113.99", "user-agent": "vitest" }),
};

/** A live session for the user, MFA-verified just now, as the request's cookie. */
export async function signInAs(owner: pg.Client, userId: string): Promise<void> {
  const token = generateSessionToken();
  await owner.query(`INSERT INTO sessions (user_id, token_hash, idle_expires_at, absolute_expires_at, mfa_verified_at) VALUES ($1, $2, now() + interval '1 hour', now() + interval '1 day', now())`, [
    userId,
    hashToken(token),
  ]);
  cookieJar.clear();
  cookieJar.set("warden.session", token);
}
