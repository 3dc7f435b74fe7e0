import { describe, expect, it } from "vitest";
import { clientIpFrom, clientRequestIdFrom, newRequestId } from "./request-id";
import { contentSecurityPolicy } from "./content-security-policy";

describe("request id", () => {
  it("is always the server's own; a client's id is kept apart only when well formed", () => {
    expect(newRequestId()).toMatch(/^[0-9a-f-]{36}$/);
    expect(newRequestId()).not.toBe(newRequestId());
    expect(clientRequestIdFrom("req-12345678")).toBe("req-12345678");
    expect(clientRequestIdFrom("bad id\r\nX-Evil: 1")).toBeNull();
    expect(clientRequestIdFrom(null)).toBeNull();
  });
});

describe("client ip", () => {
  it("trusts only the hop the server or its proxies appended", () => {
    expect(clientIpFrom("6.6.6.6, 10.0.0.1", 0)).toBe("10.0.0.1");
    expect(clientIpFrom("6.6.6.6, 203.0.113.9, 10.0.0.1", 1)).toBe("203.0.113.9");
    expect(clientIpFrom(null, 0)).toBeNull();
  });
});

describe("content security policy", () => {
  it("allows scripts only by nonce in production", () => {
    const csp = contentSecurityPolicy("abc123", false);
    expect(csp).toContain("script-src 'self' 'nonce-abc123' 'strict-dynamic'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("unsafe-eval");
    for (const d of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'"]) expect(csp).toContain(d);
  });
});
