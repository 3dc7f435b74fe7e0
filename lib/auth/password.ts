import { hash, verify } from "@node-rs/argon2";
import { availableParallelism } from "node:os";

// OWASP's minimum for Argon2id: 19 MiB, 2 passes, 1 lane. The parameters travel in
// the PHC string, so raising them here upgrades each password at its next sign-in.
export const ARGON2_PARAMS = { algorithm: 2 /* Argon2id; the enum is const and cannot be imported */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

// Each hash is ~19 MiB and a core's worth of work on the thread pool. Running as
// many at once as the pool allows starves the event loop of CPU during a sign-in
// flood; one core is always left to serve everything else.
const MAX_CONCURRENT_HASHES = Math.max(1, availableParallelism() - 1);
let running = 0;
const waiting: (() => void)[] = [];

async function withHashSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running < MAX_CONCURRENT_HASHES) running++;
  else await new Promise<void>((resolve) => waiting.push(resolve)); // the finishing call hands its slot over
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

export function hashPassword(password: string): Promise<string> {
  return withHashSlot(() => hash(password, ARGON2_PARAMS));
}

export async function verifyPassword(phc: string, password: string): Promise<boolean> {
  try {
    return await withHashSlot(() => verify(phc, password));
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
