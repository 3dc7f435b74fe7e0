import { describe, expect, it } from "vitest";
import { redactMetadata } from "./redact-metadata";

describe("redactMetadata", () => {
  it("never keeps a value under a key that names a credential, at any depth", () => {
    const out = redactMetadata({
      role: "admin",
      password: "hunter2hunter2",
      nested: { totpSecret: "JBSWY3DP", list: [{ apiKey: "wdn_live_x" }] },
      sessionToken: "abc",
    });
    expect(out).toEqual({
      role: "admin",
      password: "[redacted]",
      nested: { totpSecret: "[redacted]", list: [{ apiKey: "[redacted]" }] },
      sessionToken: "[redacted]",
    });
  });
});
