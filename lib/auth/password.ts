import { hash, verify } from "@node-rs/argon2";

// OWASP's minimum for Argon2id: 19 MiB, 2 passes, 1 lane. The parameters travel in
// the PHC string, so raising them here upgrades each password at its next sign-in.
export const ARGON2_PARAMS = { algorithm: 2 /* Argon2id; the enum is const and cannot be imported */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_PARAMS);
}

export async function verifyPassword(phc: string, password: string): Promise<boolean> {
  try {
    return await verify(phc, password);
  } catch {
    return false;
  }
}

/** True when the stored hash is weaker than the configured parameters. */
export function needsRehash(phc: string): boolean {
  const match = /^\$argon2id\$v=\d+\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(phc);
  if (!match) return true;
  const [m, t, p] = match.slice(1).map(Number);
  return m < ARGON2_PARAMS.memoryCost || t < ARGON2_PARAMS.timeCost || p < ARGON2_PARAMS.parallelism;
}

// Verified against when the email is unknown, so that case costs the same time.
let dummyHash: Promise<string> | undefined;
export function getDummyHash(): Promise<string> {
  dummyHash ??= hashPassword("warden-dummy-password-for-timing");
  return dummyHash;
}
