import { withSystem } from "@/lib/db/system";
import { limiterHealth } from "@/lib/rate-limit/limiter-store";

export const dynamic = "force-dynamic";

/** Liveness for load balancers: the database, and whether rate limits are shared as configured. */
export async function GET() {
  const database = await withSystem((tx) => tx.$queryRaw`SELECT 1`).then(
    () => "ok" as const,
    () => "unreachable" as const,
  );
  const rateLimits = limiterHealth();
  const status = database === "ok" && rateLimits.status === "ok" ? "ok" : "degraded";
  return Response.json({ status, database, rateLimits }, { status: database === "ok" ? 200 : 503 });
}
