import { createHash, randomBytes } from "node:crypto";

/** 256 random bits; the cookie carries it, the database only its SHA-256. */
export function generateSessionToken(): string {
  return randomBytes(32).toString("base64url");
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
