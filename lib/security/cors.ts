import { NextResponse } from "next/server";
import { apiErrorBody } from "../api/api-error";
import { AppError } from "../errors";

// Cross-origin access to /api/v1 for the browser origins in WARDEN_ALLOWED_ORIGINS,
// decided in middleware.ts for every /api/v1 request (the one place that sees them
// all, route handlers' answers included). Keys are bearer tokens a page sends in
// Authorization, never cookies: no Access-Control-Allow-Credentials, ever. An origin
// not on the list gets no Access-Control-* header at all, so the browser withholds
// the answer from the page; the request itself is still judged by its key alone.

const API_PREFIX = "/api/v1";

export const CORS_ALLOW_METHODS = "GET, POST";
export const CORS_ALLOW_HEADERS = "Authorization, Content-Type, Idempotency-Key";
// What apiRoute sets (lib/rate-limit/consume.ts) and the server's request id.
export const CORS_EXPOSE_HEADERS = "RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Retry-After, X-Request-Id";
export const CORS_MAX_AGE_SECONDS = 600;

export const isCorsPath = (path: string) => path === API_PREFIX || path.startsWith(`${API_PREFIX}/`);

/** A CORS preflight: OPTIONS with Origin and Access-Control-Request-Method. */
export const isPreflight = (method: string, headers: Headers) => method.toUpperCase() === "OPTIONS" && headers.has("origin") && headers.has("access-control-request-method");

/**
 * The CORS headers of an answer to a request from `origin` (null: none sent).
 * Access-Control-* only for an origin on the list; "*" on it (development only,
 * see lib/config.ts) admits any origin and answers "*", which a browser never
 * combines with credentials. With a list, every answer varies by Origin, so a
 * cache never hands one origin's answer to another.
 */
export function corsHeaders(origin: string | null, allowed: readonly string[]): Record<string, string> {
  if (allowed.length === 0) return {};
  const any = allowed.includes("*");
  if (origin === null || (!any && !allowed.includes(origin))) return { Vary: "Origin" };
  return {
    "Access-Control-Allow-Origin": any ? "*" : origin,
    Vary: "Origin",
    "Access-Control-Expose-Headers": CORS_EXPOSE_HEADERS,
  };
}

/** The answer to a preflight: 204 with what may be sent, or 403 (JSON, as /api/v1 errors are) with no Access-Control-* header. */
export function preflightResponse(origin: string | null, allowed: readonly string[], requestId: string): NextResponse {
  const headers = corsHeaders(origin, allowed);
  if (!headers["Access-Control-Allow-Origin"]) {
    const refusal = new AppError("forbidden", "This origin may not call the Warden API from a browser; an operator can add it to WARDEN_ALLOWED_ORIGINS.", undefined, "origin_not_allowed");
    return NextResponse.json(apiErrorBody(refusal, requestId), { status: refusal.status, headers: { ...headers, "Cache-Control": "no-store" } });
  }
  return new NextResponse(null, {
    status: 204,
    headers: {
      ...headers,
      "Access-Control-Allow-Methods": CORS_ALLOW_METHODS,
      "Access-Control-Allow-Headers": CORS_ALLOW_HEADERS,
      "Access-Control-Max-Age": String(CORS_MAX_AGE_SECONDS),
    },
  });
}
