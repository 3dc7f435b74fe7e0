import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { DecryptionError } from "../crypto/envelope";

// A secret's value sealed with its workspace's data key: AES-256-GCM, a random
// 96-bit nonce per value, and associated data naming the workspace, the secret and
// the version, so a ciphertext copied into another row, version or tenant fails to
// open. Format: s1.<nonce>.<ciphertext>.<tag>, base64url parts.

export type ValueAddress = { workspaceId: string; secretId: string; version: number };

const associatedData = (a: ValueAddress) => Buffer.from(`warden secret v1\n${a.workspaceId}\n${a.secretId}\n${a.version}`, "utf8");

export function sealValue(value: string, dataKey: Buffer, address: ValueAddress): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", dataKey, nonce);
  cipher.setAAD(associatedData(address));
  const body = Buffer.concat([cipher.update(value, "utf8"), cipher.final()]);
  return ["s1", nonce, body, cipher.getAuthTag()].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
}

export function openValue(sealed: string, dataKey: Buffer, address: ValueAddress): string {
  const [format, nonce, body, tag] = sealed.split(".");
  if (format !== "s1" || nonce === undefined || body === undefined || tag === undefined) throw new DecryptionError();
  try {
    const decipher = createDecipheriv("aes-256-gcm", dataKey, Buffer.from(nonce, "base64url"), { authTagLength: 16 });
    decipher.setAAD(associatedData(address));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new DecryptionError();
  }
}
