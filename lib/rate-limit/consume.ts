import { RateLimiterRes } from "rate-limiter-flexible";
import { isPerAddress, limiter, type LimitName } from "./limits";
import { redisSettled } from "./limiter-store";
import { addressKey } from "./address-key";

// A per-address limit is always counted under the normalised address, whatever the caller passed.
const keyFor = (name: LimitName, key: string) => (isPerAddress(name) ? addressKey(key) : key);

export type LimitVerdict = { allowed: boolean; limit: number; remaining: number; resetSeconds: number };

/** Spends one point of each named limit on its key; the tightest verdict wins. */
export async function consumeLimits(checks: { name: LimitName; key: string }[]): Promise<LimitVerdict> {
  await redisSettled();
  const verdicts = await Promise.all(checks.map(({ name, key }) => consumeOne(name, key)));
  const refused = verdicts.filter((v) => !v.allowed).sort((a, b) => b.resetSeconds - a.resetSeconds)[0];
  return refused ?? verdicts.sort((a, b) => a.remaining - b.remaining)[0];
}

async function consumeOne(name: LimitName, key: string): Promise<LimitVerdict> {
  const l = limiter(name);
  try {
    const res = await l.consume(keyFor(name, key));
    return { allowed: true, limit: l.points, remaining: res.remainingPoints, resetSeconds: Math.ceil(res.msBeforeNext / 1000) };
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) {
      return { allowed: false, limit: l.points, remaining: 0, resetSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
    }
    throw rejection;
  }
}

export function rateLimitHeaders(verdict: LimitVerdict): Record<string, string> {
  const headers: Record<string, string> = {
    "RateLimit-Limit": String(verdict.limit),
    "RateLimit-Remaining": String(verdict.remaining),
    "RateLimit-Reset": String(verdict.resetSeconds),
  };
  if (!verdict.allowed) headers["Retry-After"] = String(verdict.resetSeconds);
  return headers;
}

/** For limits that count failures only: whether the key has used them all, and for how long. */
export async function failureLimitReached(name: LimitName, key: string): Promise<LimitVerdict> {
  await redisSettled();
  const l = limiter(name);
  const res = await l.get(keyFor(name, key));
  const used = res?.consumedPoints ?? 0;
  const resetSeconds = Math.ceil((res?.msBeforeNext ?? 0) / 1000);
  return { allowed: used < l.points, limit: l.points, remaining: Math.max(0, l.points - used), resetSeconds };
}

export async function recordLimitedFailure(name: LimitName, key: string): Promise<void> {
  await limiter(name)
    .consume(keyFor(name, key))
    .catch(() => {});
}

/**
 * For a failure budget that must hold under parallel tries: spends one point
 * before the attempt is evaluated (one atomic increment in the store), so no more
 * tries than the budget are ever evaluated at once. A try that succeeds gives its
 * point back with releaseLimitedAttempt.
 */
export async function reserveLimitedAttempt(name: LimitName, key: string): Promise<LimitVerdict> {
  await redisSettled();
  return consumeOne(name, key);
}

export async function releaseLimitedAttempt(name: LimitName, key: string): Promise<void> {
  await limiter(name)
    .reward(keyFor(name, key), 1)
    .catch(() => {});
}
