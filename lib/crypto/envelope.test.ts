import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decrypt, DecryptionError, encrypt, keyIdOf, keyringFrom } from "./envelope";

const master = randomBytes(32).toString("base64");
const ring = keyringFrom(master);
const userA = "3f1c1d5e-0000-4000-8000-00000000000a";
const userB = "3f1c1d5e-0000-4000-8000-00000000000b";

// Flips one bit in the given base64url part (2: IV, 3: ciphertext, 4: tag).
function tamper(envelope: string, part: number): string {
  const parts = envelope.split(".");
  const bytes = Buffer.from(parts[part], "base64url");
  bytes[0] ^= 0x01;
  parts[part] = bytes.toString("base64url");
  return parts.join(".");
}

describe("envelope encryption (AES-256-GCM)", () => {
  it("round-trips, with a fresh IV each time", () => {
    const a = encrypt("JBSWY3DPEHPK3PXP", userA, ring);
    const b = encrypt("JBSWY3DPEHPK3PXP", userA, ring);
    expect(a).not.toBe(b);
    expect(a).not.toContain("JBSWY3DPEHPK3PXP");
    expect(decrypt(a, userA, ring)).toBe("JBSWY3DPEHPK3PXP");
    expect(Buffer.from(a.split(".")[2], "base64url")).toHaveLength(12);
  });

  it.each([
    [2, "IV"],
    [3, "ciphertext"],
    [4, "tag"],
  ])("a changed byte of the %s (%s) fails", (part) => {
    const sealed = encrypt("secret value", userA, ring);
    expect(() => decrypt(tamper(sealed, part as number), userA, ring)).toThrow(DecryptionError);
  });

  it("the wrong key fails", () => {
    const sealed = encrypt("secret value", userA, ring);
    const other = keyringFrom(randomBytes(32).toString("base64"));
    expect(() => decrypt(sealed, userA, other)).toThrow(DecryptionError);
  });

  it("another user's associated data fails", () => {
    const sealed = encrypt("secret value", userA, ring);
    expect(() => decrypt(sealed, userB, ring)).toThrow(DecryptionError);
  });

  it("names its key so values sealed before a master-key rotation still open", () => {
    const sealed = encrypt("secret value", userA, ring);
    const rotated = keyringFrom(randomBytes(32).toString("base64"), [master]);
    expect(keyIdOf(sealed)).toBe(ring.current.id);
    expect(decrypt(sealed, userA, rotated)).toBe("secret value");
    expect(keyIdOf(encrypt("new", userA, rotated))).toBe(rotated.current.id);
  });
});
