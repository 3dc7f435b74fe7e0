import { createHash, createPrivateKey, createPublicKey, hkdfSync, type KeyObject } from "node:crypto";
import { getConfig } from "../config";

// The audit chain's keys, derived (HKDF-SHA256) from WARDEN_MASTER_KEY the way
// lib/crypto/envelope.ts derives its encryption key, under their own labels. None
// of them is ever stored in the database: whoever holds only the database (or the
// app role's login) cannot compute a valid event hash, so cannot rewrite the chain
// without verification noticing, nor sign a head.
//
// - chain: HMAC-SHA256 key for every event's hash. Each event records the id of
//   the key it was hashed with, so events written under WARDEN_PREVIOUS_MASTER_KEYS
//   still verify after a rotation.
// - head: an Ed25519 key pair; the server signs the chain's head with it and
//   publishes the public key, so an auditor checks a head without any secret.

export type AuditChainKey = { id: string; hmacKey: Buffer; signingKey: KeyObject; publicKeyPem: string };
export type AuditKeyring = { current: AuditChainKey; all: Map<string, AuditChainKey> };

// DER prefix of a PKCS#8 Ed25519 private key; the 32-byte seed follows.
const ED25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

export function deriveAuditChainKey(masterKeyBase64: string): AuditChainKey {
  const master = Buffer.from(masterKeyBase64, "base64");
  if (master.length !== 32) throw new Error("A master key must be 32 bytes, base64-encoded");
  const hmacKey = Buffer.from(hkdfSync("sha256", master, Buffer.alloc(0), "warden audit-chain hmac-sha256 v1", 32));
  const seed = Buffer.from(hkdfSync("sha256", master, Buffer.alloc(0), "warden audit-head ed25519 v1", 32));
  const signingKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: "der", type: "pkcs8" });
  const publicKeyPem = createPublicKey(signingKey).export({ format: "pem", type: "spki" }).toString();
  const id = createHash("sha256").update(hmacKey).update("audit key id").digest("hex").slice(0, 8);
  return { id, hmacKey, signingKey, publicKeyPem };
}

export function auditKeyringFrom(current: string, previous: string[] = []): AuditKeyring {
  const keys = [current, ...previous].map(deriveAuditChainKey);
  return { current: keys[0], all: new Map(keys.map((k) => [k.id, k])) };
}

/** "a,b, c" → ["a", "b", "c"], as WARDEN_PREVIOUS_MASTER_KEYS is written. */
export const previousMasterKeys = (list: string | undefined) =>
  (list ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

let cached: AuditKeyring | undefined;

/** The keyring from the server's configuration. */
export function configuredAuditKeyring(): AuditKeyring {
  if (!cached) {
    const config = getConfig();
    if (!config.WARDEN_MASTER_KEY) throw new Error("WARDEN_MASTER_KEY is not set");
    cached = auditKeyringFrom(config.WARDEN_MASTER_KEY, previousMasterKeys(config.WARDEN_PREVIOUS_MASTER_KEYS));
  }
  return cached;
}
