// Cross-site request forgery is refused before anything runs: a state-changing
// request must come from a page of the console itself. SameSite=Lax already keeps
// the session cookie off cross-site POSTs, but not off a plain-HTTP instance's
// sign-in (login CSRF) nor a sibling subdomain (same site, other origin), and
// next-auth's CSRF token pair can be fetched by anyone.

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Paths that no browser credential reaches, so a foreign page gains nothing by
 * posting to them: /api/v1 authenticates only by the API key in Authorization
 * (it never reads a cookie, and agents send no Origin); the CSP report endpoint
 * receives what browsers send on their own and only logs it.
 */
const EXEMPT_PREFIXES = ["/api/v1/", "/api/csp-report"];

export type CrossSiteCheck = {
  method: string;
  path: string;
  headers: Headers;
  /** The scheme the request reached this server with ("http:" or "https:"). */
  protocol: string;
  /** Whether it carries a session cookie: the ambient credential a forgery would ride on. */
  hasSession: boolean;
  wardenUrl: string;
  trustProxyHops: number;
};

const originOf = (value: string): string | null => {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url.origin : null;
  } catch {
    return null;
  }
};

// The value the nearest trusted proxy set: each hop appends, so it is `hops` from the end.
const forwarded = (value: string | null, hops: number): string | null => {
  const entries = (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return entries[entries.length - hops] ?? null;
};

/**
 * The console's own origins: WARDEN_URL's, and the one this request was addressed
 * to (its Host, or a trusted proxy's X-Forwarded-Host/-Proto), so a console reached
 * by another name (127.0.0.1 in development) still works. A browser cannot make a
 * cross-site request carry the console's Host with a foreign Origin.
 */
export function ownOrigins(check: Pick<CrossSiteCheck, "headers" | "protocol" | "wardenUrl" | "trustProxyHops">): Set<string> {
  const origins = new Set<string>();
  const configured = originOf(check.wardenUrl);
  if (configured) origins.add(configured);
  const hops = check.trustProxyHops;
  const host = (hops > 0 && forwarded(check.headers.get("x-forwarded-host"), hops)) || check.headers.get("host");
  const proto = (hops > 0 && forwarded(check.headers.get("x-forwarded-proto"), hops)) || check.protocol.replace(/:$/, "");
  if (host) {
    const own = originOf(`${proto}://${host}`);
    if (own) origins.add(own);
  }
  return origins;
}

/** Why the request is refused as cross-site, or null when it may proceed. */
export function crossSiteRefusal(check: CrossSiteCheck): string | null {
  if (SAFE_METHODS.has(check.method.toUpperCase())) return null;
  if (EXEMPT_PREFIXES.some((prefix) => check.path.startsWith(prefix))) return null;
  const own = ownOrigins(check);
  const origin = check.headers.get("origin");
  if (origin !== null) {
    // "null" (sandboxed frames, some redirects) is never the console.
    const parsed = originOf(origin);
    return parsed && own.has(parsed) ? null : "foreign origin";
  }
  const referer = check.headers.get("referer");
  if (referer) {
    const parsed = originOf(referer);
    return parsed && own.has(parsed) ? null : "foreign referer";
  }
  // Browsers send Origin on every POST; only a client that is no browser (a script,
  // a test harness) sends neither, and then it may not ride on a session cookie.
  return check.hasSession ? "no origin" : null;
}
