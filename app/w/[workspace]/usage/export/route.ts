import type { NextRequest } from "next/server";
import { exportUsageCsv } from "@/lib/usage/export-usage-csv";
import { isAppError } from "@/lib/errors";
import { getRequestContext } from "@/lib/http/request-context";
import { log } from "@/lib/log";

export const dynamic = "force-dynamic";

export async function GET(request: NextRequest, { params }: { params: Promise<{ workspace: string }> }) {
  const context = await getRequestContext();
  try {
    const { body, headers } = await exportUsageCsv({ slug: (await params).workspace, params: request.nextUrl.searchParams, context });
    return new Response(body, { headers });
  } catch (error) {
    if (isAppError(error)) {
      return Response.json({ error: { code: error.code, message: error.message, errors: error.fieldErrors } }, { status: error.status });
    }
    log.error({ err: error, requestId: context.requestId }, "usage export failed");
    return Response.json({ error: { code: "internal", message: `The export failed. Reference: ${context.requestId ?? "n/a"}` } }, { status: 500 });
  }
}
