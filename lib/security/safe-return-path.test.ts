import { describe, expect, it } from "vitest";
import { safeReturnPath } from "./safe-return-path";

describe("safeReturnPath", () => {
  it("keeps same-origin relative paths with their query", () => {
    expect(safeReturnPath("/w/acme/audit?actor=1")).toBe("/w/acme/audit?actor=1");
  });
  it.each(["//evil.example", "/\\evil.example", "https://evil.example/", "javascript:alert(1)", "/%0d%0aSet-Cookie", "evil", "/\tevil", ""])(
    "refuses %s",
    (input) => {
      const out = safeReturnPath(input);
      expect(out === "/" || out.startsWith("/%0d")).toBe(true);
      expect(out.startsWith("//")).toBe(false);
    },
  );
});
