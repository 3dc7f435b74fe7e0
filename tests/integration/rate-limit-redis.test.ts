import { afterAll, describe, expect, it } from "vitest";
import Redis from "ioredis";
import { randomUUID } from "node:crypto";
import { createLimiter } from "../../lib/rate-limit/limiter-store";
import { releaseLimitedAttempt, reserveLimitedAttempt } from "../../lib/rate-limit/consume";

// Redis is the feature here, so these run against a real one (REDIS_URL). Without
// it they are reported as skipped, with the reason in their name.
const url = process.env.REDIS_URL;
const reason = url ? "" : " [skipped: REDIS_URL is not set]";
const clients: Redis[] = [];
const connect = (target: string) => {
  const client = new Redis(target, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 500, lazyConnect: false });
  client.on("error", () => {});
  clients.push(client);
  return client;
};
const ready = (client: Redis) => new Promise<void>((resolve) => (client.status === "ready" ? resolve() : client.once("ready", () => resolve())));

afterAll(() => clients.forEach((c) => c.disconnect()));

describe("rate limits in Redis", () => {
  it.skipIf(!url)(`two app instances share one counter${reason}`, async () => {
    const spec = { keyPrefix: `test-${randomUUID()}`, points: 5, durationSeconds: 60 };
    const [a, b] = [connect(url!), connect(url!)];
    await Promise.all([ready(a), ready(b)]);
    const instanceA = createLimiter(spec, a);
    const instanceB = createLimiter(spec, b);
    for (let i = 0; i < 3; i++) await instanceA.consume("198.51.100.1");
    const seenByB = await instanceB.consume("198.51.100.1");
    expect(seenByB.remainingPoints).toBe(1);
    await instanceA.consume("198.51.100.1");
    await expect(instanceB.consume("198.51.100.1")).rejects.toMatchObject({ remainingPoints: 0 });
  });

  it.skipIf(!url)(`a failure budget reserved by 20 parallel tries admits exactly its 5 points, and a success gives its point back${reason}`, async () => {
    const userId = randomUUID();
    const verdicts = await Promise.all(Array.from({ length: 20 }, () => reserveLimitedAttempt("secondFactorFailuresPerUser", userId)));
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(5);
    const other = randomUUID();
    for (let i = 0; i < 4; i++) await reserveLimitedAttempt("secondFactorFailuresPerUser", other);
    await releaseLimitedAttempt("secondFactorFailuresPerUser", other);
    expect((await reserveLimitedAttempt("secondFactorFailuresPerUser", other)).allowed).toBe(true);
    expect((await reserveLimitedAttempt("secondFactorFailuresPerUser", other)).allowed).toBe(true);
    expect((await reserveLimitedAttempt("secondFactorFailuresPerUser", other)).allowed).toBe(false);
  });

  it(`when Redis is unreachable the in-memory twin still limits (never unlimited)`, async () => {
    const unreachable = connect("redis://127.0.0.1:1");
    const limiter = createLimiter({ keyPrefix: `test-${randomUUID()}`, points: 3, durationSeconds: 60 }, unreachable);
    for (let i = 0; i < 3; i++) await limiter.consume("203.0.113.5");
    await expect(limiter.consume("203.0.113.5")).rejects.toMatchObject({ remainingPoints: 0 });
  });
});
