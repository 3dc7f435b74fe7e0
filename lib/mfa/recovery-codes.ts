import { randomBytes } from "node:crypto";
import type { Tx } from "../db/with-workspace";
import { hashPassword, verifyPassword } from "../auth/password";

const ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
export const RECOVERY_CODE_COUNT = 10;

/** 10 codes of 10 characters (about 49 bits each), shown once, stored only as Argon2id hashes. */
export function generateRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from(randomBytes(10), (b) => ALPHABET[b % ALPHABET.length]).join("");
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

const normalise = (code: string) => code.trim().toLowerCase().replace(/[\s-]/g, "");

/** Replaces the user's codes with a new set; the old set stops working. */
export async function storeRecoveryCodes(tx: Tx, userId: string, codes: string[]): Promise<void> {
  const hashes = await Promise.all(codes.map((code) => hashPassword(normalise(code))));
  await tx.mfaRecoveryCode.deleteMany({ where: { userId } });
  await tx.mfaRecoveryCode.createMany({ data: hashes.map((codeHash) => ({ userId, codeHash })) });
}

/** Spends a recovery code if it matches an unused one; each works once. */
export async function consumeRecoveryCode(tx: Tx, userId: string, code: string): Promise<boolean> {
  const candidate = normalise(code);
  if (!/^[a-z0-9]{10}$/.test(candidate)) return false;
  const unused = await tx.mfaRecoveryCode.findMany({ where: { userId, usedAt: null }, select: { id: true, codeHash: true } });
  for (const row of unused) {
    if (await verifyPassword(row.codeHash, candidate)) {
      const { count } = await tx.mfaRecoveryCode.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: new Date() } });
      return count === 1;
    }
  }
  return false;
}
