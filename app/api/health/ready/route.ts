import { withSystem } from "@/lib/db/system";
import { isDraining } from "@/lib/server/lifecycle";

export const dynamic = "force-dynamic";

/**
 * Readiness for load balancers: 503 while the instance drains (after SIGTERM) or
 * while PostgreSQL does not answer, so no new request is sent here; 200 otherwise.
 */
export async function GET() {
  if (isDraining()) return Response.json({ status: "draining" }, { status: 503 });
  const database = await withSystem((tx) => tx.$queryRaw`SELECT 1`).then(
    () => "ok" as const,
    () => "unreachable" as const,
  );
  return Response.json({ status: database === "ok" ? "ok" : "unavailable", database }, { status: database === "ok" ? 200 : 503 });
}
