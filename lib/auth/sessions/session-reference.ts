import { createHmac, hkdfSync } from "node:crypto";
import { getConfig } from "../../config";

// Events that name a session (a sign-in, a sign-out, a step-up) are read by a
// workspace's admins and by operators; a session id is a handle on the live
// session, so events carry this reference instead: the first 16 hex digits of an
// HMAC of the id under a key derived from AUTH_SECRET. The same session always
// has the same reference, so events about it can be matched (and the sessions
// page can show it), but nobody holding the log alone can recover the id. (Even
// without AUTH_SECRET, in development, the id is 122 random bits: a hash of it
// cannot be reversed; the key only stops matching a reference to a known id.)

let key: { secret: string; key: Buffer } | undefined;

function referenceKey(): Buffer {
  const secret = getConfig().AUTH_SECRET ?? "";
  if (key?.secret !== secret) key = { secret, key: Buffer.from(hkdfSync("sha256", secret, Buffer.alloc(0), "warden session reference v1", 32)) };
  return key.key;
}

export function sessionReference(sessionId: string): string {
  return createHmac("sha256", referenceKey()).update(sessionId).digest("hex").slice(0, 16);
}
