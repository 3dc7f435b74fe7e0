import { log } from "@/lib/log";
import { CLIENT_IP_HEADER, REQUEST_ID_HEADER } from "@/lib/http/header-names";
import { consumeLimits } from "@/lib/rate-limit/consume";
import { MAX_REPORT_BYTES, parseCspReport } from "@/lib/security/csp-report";
import { readCappedBody } from "@/lib/http/read-capped-body";

export const dynamic = "force-dynamic";

/** The body as text, or null past the size a report can reasonably have (read no further). */
async function readCapped(request: Request): Promise<string | null> {
  const body = await readCappedBody(request, MAX_REPORT_BYTES);
  return body === null ? null : new TextDecoder().decode(body);
}

/**
 * Where browsers report what the Content-Security-Policy blocked (report-uri and
 * report-to in middleware.ts). Each violation becomes one warning in the log;
 * nothing is stored. Anyone can post here, so it is limited per address, and
 * whatever arrives answers 2xx or 4xx, never a server error.
 */
export async function POST(request: Request) {
  const ip = request.headers.get(CLIENT_IP_HEADER);
  const requestId = request.headers.get(REQUEST_ID_HEADER);
  try {
    const verdict = await consumeLimits([{ name: "cspReportsPerIp", key: ip ?? "unknown" }]);
    if (!verdict.allowed) return new Response(null, { status: 429, headers: { "Retry-After": String(verdict.resetSeconds) } });
    const body = await readCapped(request);
    if (body === null) return new Response(null, { status: 413 });
    const violations = parseCspReport(body);
    if (!violations) return new Response(null, { status: 400 });
    for (const violation of violations) log.warn({ csp: violation, ip, requestId }, "content security policy violation");
    return new Response(null, { status: 204 });
  } catch (error) {
    // A report is worth nothing to the browser that sent it; a fault here is ours to log, not its to see.
    log.error({ err: error, requestId }, "CSP report could not be recorded");
    return new Response(null, { status: 204 });
  }
}
