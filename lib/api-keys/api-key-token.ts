import { createHash, randomBytes } from "node:crypto";

// An API key is "wdn_live_" and 32 random base64url characters (192 bits). Only
// its SHA-256 and the first characters after the marker are stored: enough to
// recognise a key in a list, far too few to guess the rest.

export const API_KEY_MARKER = "wdn_live_";
const BODY_LENGTH = 32;
const VISIBLE_LENGTH = 6;
const KEY_PATTERN = new RegExp(`^${API_KEY_MARKER}[A-Za-z0-9_-]{${BODY_LENGTH}}$`);

export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const key = API_KEY_MARKER + randomBytes(24).toString("base64url");
  return { key, prefix: key.slice(0, API_KEY_MARKER.length + VISIBLE_LENGTH), hash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

export function isWellFormedApiKey(candidate: string): boolean {
  return KEY_PATTERN.test(candidate);
}
