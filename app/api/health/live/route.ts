export const dynamic = "force-dynamic";

/** Liveness: the process is up and serving (restart it if this fails; never checks dependencies). */
export function GET() {
  return Response.json({ status: "ok" });
}
