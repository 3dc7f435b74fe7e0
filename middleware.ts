import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy, SECURITY_HEADERS } from "./lib/security/content-security-policy";
import { clientIpFrom, requestIdFrom } from "./lib/security/request-id";
import { sessionCookieName, sessionCookieOptions, SESSION_COOKIE_NAMES } from "./lib/auth/session-cookie";
import { checkSession } from "./lib/auth/sessions/check-session";
import { CLIENT_IP_HEADER, NONCE_HEADER, REQUEST_ID_HEADER } from "./lib/http/header-names";
import { getConfig } from "./lib/config";

// The first layer of every request: a fresh CSP nonce, security headers, a request
// id, the client's address, and the session: checked against the database (so a
// revoked one is refused at once), rotated when due, and a visitor without a live
// one sent to sign-in from protected pages. Pages and actions check it again.

const PUBLIC_PREFIXES = ["/sign-in", "/setup", "/invite", "/api/auth", "/api/health", "/api/v1"];
const isPublic = (path: string) => path === "/" || PUBLIC_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));

export async function middleware(request: NextRequest) {
  const settings = getConfig();
  const dev = settings.NODE_ENV !== "production";
  const nonce = btoa(crypto.randomUUID());
  const csp = contentSecurityPolicy(nonce, dev);
  const requestId = requestIdFrom(request.headers.get(REQUEST_ID_HEADER));
  const ip = clientIpFrom(request.headers.get("x-forwarded-for"), settings.TRUST_PROXY_HOPS);
  const path = request.nextUrl.pathname;

  const cookieName = SESSION_COOKIE_NAMES.find((name) => request.cookies.has(name));
  const token = cookieName ? request.cookies.get(cookieName)?.value : undefined;
  const check = token
    ? await checkSession(token, { rotate: true, context: { ip, userAgent: request.headers.get("user-agent"), requestId } })
    : null;
  if (check?.rotatedToken) request.cookies.set(sessionCookieName(), check.rotatedToken);

  let response: NextResponse;
  if (!isPublic(path) && !check && !path.startsWith("/api/")) {
    const signIn = new URL("/sign-in", request.url);
    signIn.searchParams.set("next", path + request.nextUrl.search);
    response = NextResponse.redirect(signIn);
  } else {
    const headers = new Headers(request.headers);
    headers.set(NONCE_HEADER, nonce);
    headers.set("content-security-policy", csp);
    headers.set(REQUEST_ID_HEADER, requestId);
    if (ip) headers.set(CLIENT_IP_HEADER, ip);
    else headers.delete(CLIENT_IP_HEADER);
    response = NextResponse.next({ request: { headers } });
  }

  if (check?.rotatedToken) {
    response.cookies.set(sessionCookieName(), check.rotatedToken, sessionCookieOptions(settings.SESSION_ABSOLUTE_HOURS * 3600));
  } else if (cookieName && !check) {
    response.cookies.delete(cookieName);
  }
  response.headers.set("Content-Security-Policy", csp);
  response.headers.set(REQUEST_ID_HEADER, requestId);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers.set(name, value);
  if (!dev) response.headers.set("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
  return response;
}

export const config = {
  runtime: "nodejs",
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico).*)" }],
};
