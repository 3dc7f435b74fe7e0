import { describe, expect, it } from "vitest";
import { passwordProblem } from "./password-rules";
import { hashPassword, needsRehash, verifyPassword } from "./password";

describe("password rules", () => {
  it("refuses short, overlong and email-derived passwords", () => {
    expect(passwordProblem("short", "ada@example.com")).toMatch(/at least 12/);
    expect(passwordProblem("x".repeat(129), "ada@example.com")).toMatch(/at most 128/);
    expect(passwordProblem("my-ADA-password-1", "ada@example.com")).toMatch(/email/);
    expect(passwordProblem("correct horse battery", "ada@example.com")).toBeNull();
  });

  it("refuses common and breached passwords from the bundled list, saying why and what to do instead", () => {
    for (const weak of ["password123456", "qwertyuiop123", "Password1234", "letmein123456", "1qaz2wsx3edc4rfv", "abcdefghijklm", "aaaaaaaaaaaa"]) {
      const problem = passwordProblem(weak, "ada@example.com");
      expect(problem, weak).toMatch(/easy to guess|common password|most common|most used/);
      expect(problem, weak).toMatch(/passphrase of three or four unrelated words/);
    }
    expect(passwordProblem("password123456", "ada@example.com")).toBe("This is a common password with a small change. Try a passphrase of three or four unrelated words.");
    expect(passwordProblem("tangerine-ladder-orbit-57", "ada@example.com")).toBeNull();
  });

  it("refuses a password built from the email's domain", () => {
    expect(passwordProblem("acmecorp2024!", "ada@acmecorp.io")).toMatch(/easy to guess|name or email/);
  });
});

describe("argon2id hashing", () => {
  it("stores OWASP-minimum parameters in the PHC string and verifies only the right password", async () => {
    const phc = await hashPassword("correct horse battery");
    expect(phc).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(phc, "correct horse battery")).toBe(true);
    expect(await verifyPassword(phc, "wrong horse battery")).toBe(false);
    expect(needsRehash(phc)).toBe(false);
    expect(needsRehash("$argon2id$v=19$m=4096,t=3,p=1$abc$def")).toBe(true);
  });
});
