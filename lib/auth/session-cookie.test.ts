import { describe, expect, it } from "vitest";
import { sessionCookieName, sessionTokenFrom } from "./session-cookie";
import { rateLimitHeaders } from "../rate-limit/consume";

const jar = (cookies: Record<string, string>) => ({ get: (name: string) => (name in cookies ? { value: cookies[name] } : undefined) });

describe("session cookie", () => {
  it("is __Host- prefixed whenever served over HTTPS", () => {
    expect(sessionCookieName(true)).toBe("__Host-warden.session");
    expect(sessionCookieName(false)).toBe("warden.session");
  });

  it("over HTTPS is read only under the __Host- name, never the unprefixed one a subdomain could plant", () => {
    expect(sessionTokenFrom(jar({ "warden.session": "planted" }), true)).toBeNull();
    expect(sessionTokenFrom(jar({ "warden.session": "planted", "__Host-warden.session": "mine" }), true)).toEqual({ name: "__Host-warden.session", token: "mine" });
    // Plain HTTP (development, or a WARDEN_URL without TLS) has only the unprefixed name.
    expect(sessionTokenFrom(jar({ "warden.session": "dev" }), false)).toEqual({ name: "warden.session", token: "dev" });
    expect(sessionTokenFrom(jar({ "__Host-warden.session": "other" }), false)).toBeNull();
  });
});

describe("rate-limit headers", () => {
  it("carry limit, remaining and reset, and Retry-After only on refusal", () => {
    expect(rateLimitHeaders({ allowed: true, limit: 5, remaining: 4, resetSeconds: 60 })).toEqual({ "RateLimit-Limit": "5", "RateLimit-Remaining": "4", "RateLimit-Reset": "60" });
    expect(rateLimitHeaders({ allowed: false, limit: 5, remaining: 0, resetSeconds: 42 })).toMatchObject({ "Retry-After": "42", "RateLimit-Remaining": "0" });
  });
});
