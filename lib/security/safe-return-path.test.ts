import { describe, expect, it } from "vitest";
import { safeReturnPath } from "./safe-return-path";

// Whatever is returned, a browser on the console resolving it must stay on the console.
const staysHome = (path: string) => {
  const base = "https://console.example";
  const url = new URL(path, base);
  return url.origin === base && path.startsWith("/") && !path.startsWith("//") && !path.startsWith("/\\");
};

const REDIRECT_PAYLOADS = [
  // Network paths and schemes.
  "//evil.example",
  "///evil.example",
  "/\\evil.example",
  "\\\\evil.example",
  "https://evil.example/",
  "http:evil.example",
  "HtTpS://evil.example",
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  " javascript:alert(1)",
  "data:text/html,x",
  "evil",
  "",
  // Dot segments, plain and percent-encoded, in any case and position.
  "/.//evil.example",
  "/..//evil.example",
  "/%2e//evil.example",
  "/%2e%2e//evil.example",
  "/%2E%2E//evil.example",
  "/.%2e//evil.example",
  "/a/..//evil.example/x",
  "/a/%2e%2e//evil.example/x",
  "/a/b/../..//evil.example",
  "/./\\evil.example",
  "/.\\/evil.example",
  "/..//evil.example?next=/",
  "/.//evil.example#frag",
  // Control characters, tabs and newlines a parser strips or splits on.
  "/\tevil",
  "/\t/evil.example",
  "/\n/evil.example",
  "/\r\n/evil.example",
  "/\u0000/evil.example",
  "/\u007f/evil.example",
  "\t//evil.example",
  "/%0d%0aSet-Cookie:x=1",
];

describe("safeReturnPath", () => {
  it("keeps same-origin relative paths with their query", () => {
    expect(safeReturnPath("/w/acme/audit?actor=1")).toBe("/w/acme/audit?actor=1");
    expect(safeReturnPath("/w/acme/../acme/members")).toBe("/w/acme/members");
  });

  it.each(REDIRECT_PAYLOADS)("never leaves the console for %j", (input) => {
    expect(staysHome(safeReturnPath(input))).toBe(true);
  });

  it("falls back for dot segments that normalise into another host", () => {
    for (const input of ["/.//evil.example", "/..//evil.example", "/%2e//evil.example", "/%2e%2e//evil.example", "/a/..//evil.example/x"]) {
      expect(safeReturnPath(input, "/home")).toBe("/home");
    }
  });

  it("falls back, without throwing, for a repeated or non-string parameter", () => {
    expect(safeReturnPath(["/a", "/b"])).toBe("/");
    expect(safeReturnPath(undefined)).toBe("/");
    expect(safeReturnPath({ toString: () => "/w" })).toBe("/");
    expect(safeReturnPath(`/${"a".repeat(3000)}`)).toBe("/");
  });
});
