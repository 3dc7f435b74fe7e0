import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";
import { getConfig } from "../config";

// AES-256-GCM for values Warden must be able to read back (TOTP seeds, workspace
// secrets). The key is derived from WARDEN_MASTER_KEY, which lives only in the
// environment, so a copy of the database alone reveals nothing. Each ciphertext
// names its key, so a new master key can be introduced while older values are
// still read with WARDEN_PREVIOUS_MASTER_KEYS.
//
// Format: v1.<keyId>.<iv>.<ciphertext>.<tag>, base64url parts, a random 96-bit IV
// per value, and caller-supplied associated data (e.g. the owning user's id) that
// binds a ciphertext to its row: moved to another row, it fails to decrypt.

type Key = { id: string; key: Buffer };

export class DecryptionError extends Error {
  constructor() {
    super("The value could not be decrypted");
    this.name = "DecryptionError";
  }
}

export function deriveKey(masterKeyBase64: string): Key {
  const master = Buffer.from(masterKeyBase64, "base64");
  if (master.length !== 32) throw new Error("A master key must be 32 bytes, base64-encoded");
  const key = Buffer.from(hkdfSync("sha256", master, Buffer.alloc(0), "warden aes-256-gcm v1", 32));
  const id = createHash("sha256").update(key).update("key id").digest("hex").slice(0, 8);
  return { id, key };
}

export type Keyring = { current: Key; all: Map<string, Key> };

export function keyringFrom(current: string, previous: string[] = []): Keyring {
  const keys = [current, ...previous].map(deriveKey);
  return { current: keys[0], all: new Map(keys.map((k) => [k.id, k])) };
}

let cached: Keyring | undefined;
function configuredKeyring(): Keyring {
  if (!cached) {
    const config = getConfig();
    if (!config.WARDEN_MASTER_KEY) throw new Error("WARDEN_MASTER_KEY is not set");
    const previous = (config.WARDEN_PREVIOUS_MASTER_KEYS ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    cached = keyringFrom(config.WARDEN_MASTER_KEY, previous);
  }
  return cached;
}

export function encrypt(plaintext: string, associatedData: string, keyring: Keyring = configuredKeyring()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyring.current.key, iv);
  cipher.setAAD(Buffer.from(associatedData, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const parts = [iv, body, cipher.getAuthTag()].map((b) => b.toString("base64url"));
  return ["v1", keyring.current.id, ...parts].join(".");
}

export function decrypt(envelope: string, associatedData: string, keyring: Keyring = configuredKeyring()): string {
  const [version, keyId, iv, body, tag] = envelope.split(".");
  const key = keyring.all.get(keyId);
  if (version !== "v1" || !key || iv === undefined || body === undefined || tag === undefined) throw new DecryptionError();
  try {
    const decipher = createDecipheriv("aes-256-gcm", key.key, Buffer.from(iv, "base64url"), { authTagLength: 16 });
    decipher.setAAD(Buffer.from(associatedData, "utf8"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new DecryptionError();
  }
}

/** The key a value was sealed with, so a rotation job can find what to re-encrypt. */
export const keyIdOf = (envelope: string) => envelope.split(".")[1];
