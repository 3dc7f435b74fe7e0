import type { NextRequest } from "next/server";
import { isAppError } from "../errors";
import { getRequestContext, type RequestContext } from "./request-context";
import { log } from "../log";

type Exporter = (options: { slug: string; params: URLSearchParams; context: RequestContext }) => Promise<{ body: BodyInit; headers: HeadersInit }>;

/**
 * The GET handler of a workspace's download (the audit log, usage): the exporter
 * checks the member and the capability and records the export; a refusal or a bad
 * parameter is its 4xx in JSON, anything else a 500 with a reference, never a
 * half-written file. The exporter reads before it answers, so what can fail mostly
 * fails then; a failure after the first byte (the database connection lost) can
 * only break the download off, so the file is never taken for complete, and is
 * logged with the request's reference.
 */
export function exportRoute(exporter: Exporter, what: string) {
  return async function GET(request: NextRequest, { params }: { params: Promise<{ workspace: string }> }): Promise<Response> {
    const context = await getRequestContext();
    try {
      const { body, headers } = await exporter({ slug: (await params).workspace, params: request.nextUrl.searchParams, context });
      return new Response(body instanceof ReadableStream ? loggingFailure(body, what, context.requestId) : body, { headers });
    } catch (error) {
      if (isAppError(error)) {
        return Response.json({ error: { code: error.code, message: error.message, errors: error.fieldErrors } }, { status: error.status });
      }
      log.error({ err: error, requestId: context.requestId }, `${what} failed`);
      return Response.json({ error: { code: "internal", message: `The export failed. Reference: ${context.requestId ?? "n/a"}` } }, { status: 500 });
    }
  };
}

/** The body as it is, and a failure while it is read is logged before it breaks the download off. */
function loggingFailure(body: ReadableStream<Uint8Array>, what: string, requestId: string | null | undefined): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) controller.close();
          else controller.enqueue(value);
        } catch (error) {
          log.error({ err: error, requestId }, `${what} failed after its first byte`);
          controller.error(error);
        }
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
