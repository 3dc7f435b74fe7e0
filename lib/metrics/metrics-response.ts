import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { getConfig } from "../config";
import { metrics } from "./registry";

const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * GET /metrics: Prometheus text, only for the configured bearer token. No token
 * configured: 404, as if there were no endpoint. The comparison is on SHA-256
 * digests in constant time, so neither the token's bytes nor its length leak
 * through timing.
 */
export async function metricsResponse(request: Request): Promise<Response> {
  const token = getConfig().METRICS_TOKEN;
  const headers = { "Cache-Control": "no-store" };
  if (!token) return new Response("Not found\n", { status: 404, headers });
  const presented = /^Bearer (\S+)$/.exec(request.headers.get("authorization") ?? "")?.[1] ?? "";
  if (!timingSafeEqual(digest(presented), digest(token))) {
    return new Response("Unauthorized\n", { status: 401, headers: { ...headers, "WWW-Authenticate": 'Bearer realm="metrics"' } });
  }
  const { registry } = metrics();
  return new Response(await registry.metrics(), { headers: { ...headers, "Content-Type": registry.contentType } });
}
