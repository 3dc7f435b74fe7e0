import { describe, expect, it } from "vitest";
import { sessionCookieName } from "./session-cookie";
import { rateLimitHeaders } from "../rate-limit/consume";

describe("session cookie", () => {
  it("is __Host- prefixed whenever served over HTTPS", () => {
    expect(sessionCookieName(true)).toBe("__Host-warden.session");
    expect(sessionCookieName(false)).toBe("warden.session");
  });
});

describe("rate-limit headers", () => {
  it("carry limit, remaining and reset, and Retry-After only on refusal", () => {
    expect(rateLimitHeaders({ allowed: true, limit: 5, remaining: 4, resetSeconds: 60 })).toEqual({ "RateLimit-Limit": "5", "RateLimit-Remaining": "4", "RateLimit-Reset": "60" });
    expect(rateLimitHeaders({ allowed: false, limit: 5, remaining: 0, resetSeconds: 42 })).toMatchObject({ "Retry-After": "42", "RateLimit-Remaining": "0" });
  });
});
