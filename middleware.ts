import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy, reportingEndpoints, SECURITY_HEADERS } from "./lib/security/content-security-policy";
import { clientIpFrom, clientRequestIdFrom, newRequestId } from "./lib/security/request-id";
import { crossSiteRefusal } from "./lib/security/cross-site-request";
import { corsHeaders, isCorsPath, isPreflight, preflightResponse } from "./lib/security/cors";
import { safeReturnPath } from "./lib/security/safe-return-path";
import { serverActionBodyRefusal } from "./lib/http/server-action-body-limit";
import { sessionCookieName, sessionCookieOptions, sessionTokenFrom } from "./lib/auth/session-cookie";
import { checkSession, sessionEndedReason } from "./lib/auth/sessions/check-session";
import { CLIENT_IP_HEADER, CLIENT_REQUEST_ID_HEADER, NONCE_HEADER, REQUEST_ID_HEADER, REQUEST_PATH_HEADER } from "./lib/http/header-names";
import { getConfig } from "./lib/config";

// The first layer of every request: a fresh CSP nonce, security headers, the
// server's own request id, the client's address, a refusal of cross-site writes,
// and the session: checked against the database (so a revoked one is refused at
// once), rotated when due, and a visitor without a live one sent to sign-in from
// protected pages. Pages and actions check it again. /api/v1 alone answers
// browsers of the allowed origins (CORS): preflights here, and the headers on
// every answer, route handlers' included (Next copies them onto the response).

const PUBLIC_PREFIXES = ["/sign-in", "/setup", "/invite", "/reset", "/api/auth", "/api/health", "/api/v1", "/api/csp-report", "/metrics"];
const isPublic = (path: string) => path === "/" || PUBLIC_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));

export async function middleware(request: NextRequest) {
  const settings = getConfig();
  const dev = settings.NODE_ENV !== "production";
  const nonce = btoa(crypto.randomUUID());
  const csp = contentSecurityPolicy(nonce, dev, { reportTo: settings.secureCookies });
  // Always the server's own; what the client called its request travels apart.
  const requestId = newRequestId();
  const clientRequestId = clientRequestIdFrom(request.headers.get(REQUEST_ID_HEADER));
  const ip = clientIpFrom(request.headers.get("x-forwarded-for"), settings.TRUST_PROXY_HOPS);
  const path = request.nextUrl.pathname;
  const presented = sessionTokenFrom(request.cookies, settings.secureCookies);
  const api = isCorsPath(path);
  const cors = api ? corsHeaders(request.headers.get("origin"), settings.WARDEN_ALLOWED_ORIGINS) : {};

  const finish = (response: NextResponse) => {
    response.headers.set("Content-Security-Policy", csp);
    if (settings.secureCookies) response.headers.set("Reporting-Endpoints", reportingEndpoints());
    response.headers.set(REQUEST_ID_HEADER, requestId);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers.set(name, value);
    // Only where the console is served over https: over plain http a browser ignores it, and a
    // host that answers both would pin browsers to an https it may not serve.
    if (settings.secureCookies) response.headers.set("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
    for (const [name, value] of Object.entries(cors)) response.headers.set(name, value);
    return response;
  };

  // Answered before anything else runs: a preflight carries no key and costs no database work.
  if (api && isPreflight(request.method, request.headers)) {
    return finish(preflightResponse(request.headers.get("origin"), settings.WARDEN_ALLOWED_ORIGINS, requestId));
  }

  // Before the session is looked at: a forged request costs no database work and rotates nothing.
  const refusal = crossSiteRefusal({
    method: request.method,
    path,
    headers: request.headers,
    protocol: request.nextUrl.protocol,
    hasSession: presented !== null,
    wardenUrl: settings.WARDEN_URL,
    trustProxyHops: settings.TRUST_PROXY_HOPS,
  });
  if (refusal) {
    return finish(new NextResponse("Cross-site request refused.\n", { status: 403, headers: { "Content-Type": "text/plain; charset=utf-8" } }));
  }
  // After the cross-site check (a forged post is a 403 whatever its size), before the session.
  const tooLarge = serverActionBodyRefusal(request.method, request.headers);
  if (tooLarge) return finish(new NextResponse(tooLarge.body, { status: tooLarge.status, headers: tooLarge.headers }));

  const userAgent = request.headers.get("user-agent");
  const check = presented ? await checkSession(presented.token, { rotate: true, context: { ip, userAgent, requestId, clientRequestId } }) : null;
  if (check?.rotatedToken) request.cookies.set(sessionCookieName(settings.secureCookies), check.rotatedToken);

  // A presented session that has ended: sign-in says why (a code, never who ended it).
  const ended = presented && !check ? await sessionEndedReason(presented.token) : null;

  let response: NextResponse;
  if ((!isPublic(path) || (path === "/" && ended)) && !check && !path.startsWith("/api/")) {
    const signIn = new URL("/sign-in", request.url);
    signIn.searchParams.set("next", safeReturnPath(path + request.nextUrl.search));
    if (ended) signIn.searchParams.set("reason", ended);
    response = NextResponse.redirect(signIn);
  } else {
    const headers = new Headers(request.headers);
    headers.set(NONCE_HEADER, nonce);
    headers.set("content-security-policy", csp);
    headers.set(REQUEST_ID_HEADER, requestId);
    headers.set(REQUEST_PATH_HEADER, path + request.nextUrl.search);
    // Overwritten or removed on every request, so a client cannot forge it either.
    if (clientRequestId) headers.set(CLIENT_REQUEST_ID_HEADER, clientRequestId);
    else headers.delete(CLIENT_REQUEST_ID_HEADER);
    if (ip) headers.set(CLIENT_IP_HEADER, ip);
    else headers.delete(CLIENT_IP_HEADER);
    response = NextResponse.next({ request: { headers } });
  }

  if (check?.rotatedToken) {
    response.cookies.set(sessionCookieName(settings.secureCookies), check.rotatedToken, sessionCookieOptions(settings.SESSION_ABSOLUTE_HOURS * 3600));
  } else if (presented && !check) {
    // With the attributes it was set with: a browser ignores a __Host- cookie without Secure, its removal included.
    response.cookies.set(presented.name, "", sessionCookieOptions(0));
  }
  return finish(response);
}

export const config = {
  runtime: "nodejs",
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico).*)" }],
};
