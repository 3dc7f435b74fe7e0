import { withSystem } from "@/lib/db/system";

export const dynamic = "force-dynamic";

export async function GET() {
  const database = await withSystem((tx) => tx.$queryRaw`SELECT 1`).then(
    () => "ok" as const,
    () => "unreachable" as const,
  );
  const status = database === "ok" ? "ok" : "degraded";
  return Response.json({ status, database }, { status: database === "ok" ? 200 : 503 });
}
