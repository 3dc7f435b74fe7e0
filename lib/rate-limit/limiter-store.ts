import Redis from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from "rate-limiter-flexible";
import { getConfig } from "../config";
import { log } from "../log";
import { onShutdown } from "../server/lifecycle";

// Counters live in Redis when REDIS_URL is set, so several instances share them;
// otherwise in this process's memory. If Redis stops answering, each limiter falls
// back to an in-memory twin (never to "unlimited") and health reports degraded.

type LimitSpec = { keyPrefix: string; points: number; durationSeconds: number };

let redis: Redis | null | undefined;
let degradedSince: Date | null = null;

function redisClient(): Redis | null {
  if (redis !== undefined) return redis;
  const url = getConfig().REDIS_URL;
  if (!url) {
    redis = null;
    return redis;
  }
  const client = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000, lazyConnect: false });
  redis = client;
  onShutdown("redis", async () => {
    await client.quit().catch(() => client.disconnect());
  });
  redis.on("ready", () => {
    if (degradedSince) log.info("rate limiting: Redis is reachable again; counters are shared");
    degradedSince = null;
  });
  redis.on("error", (error) => {
    if (!degradedSince) log.warn({ err: error.message }, "rate limiting degraded: Redis unreachable, using in-memory counters");
    degradedSince ??= new Date();
  });
  return redis;
}

export function createLimiter(spec: LimitSpec, client: Redis | null = redisClient()): RateLimiterAbstract {
  const memory = new RateLimiterMemory({ keyPrefix: spec.keyPrefix, points: spec.points, duration: spec.durationSeconds });
  if (!client) return memory;
  return new RateLimiterRedis({
    storeClient: client,
    keyPrefix: `warden:${spec.keyPrefix}`,
    points: spec.points,
    duration: spec.durationSeconds,
    insuranceLimiter: memory,
  });
}

/**
 * Waits briefly for a Redis connection still being made, so that the first
 * requests after start-up count in the shared store rather than in a local one
 * that Redis would later not know about. A down Redis costs at most this wait.
 */
export async function redisSettled(client: Redis | null = redisClient()): Promise<void> {
  if (!client || client.status === "ready" || degradedSince) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 1_000);
    client.once("ready", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export type LimiterHealth = { store: "redis" | "memory"; status: "ok" | "degraded" };

export function limiterHealth(): LimiterHealth {
  const client = redisClient();
  if (!client) return { store: "memory", status: "ok" };
  return { store: "redis", status: client.status === "ready" && !degradedSince ? "ok" : "degraded" };
}
