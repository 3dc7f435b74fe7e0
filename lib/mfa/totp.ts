import { generateSecret, generateURI, verify } from "otplib";

// RFC 6238 with the settings every common authenticator accepts: SHA-1, 6 digits,
// 30-second steps. One step either side is accepted for clock drift.
const PERIOD = 30;

export const newTotpSecret = () => generateSecret();

export const otpauthUri = (secret: string, email: string) => generateURI({ issuer: "Warden", label: email, secret, algorithm: "sha1", digits: 6, period: PERIOD });

/** The key as people type it: groups of four. */
export const groupKey = (secret: string) => secret.replace(/(.{4})/g, "$1 ").trim();

/**
 * Checks a code; a code whose time step is not after `lastTimeStep` is a replay and
 * fails even inside its window. Returns the matched step to remember.
 */
export async function verifyTotp(secret: string, code: string, lastTimeStep: bigint | null): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  const result = await verify({
    secret,
    token: code,
    period: PERIOD,
    epochTolerance: PERIOD,
    ...(lastTimeStep !== null ? { afterTimeStep: Number(lastTimeStep) } : {}),
  }).catch(() => ({ valid: false as const }));
  return result.valid ? (result as { timeStep: number }).timeStep : null;
}
