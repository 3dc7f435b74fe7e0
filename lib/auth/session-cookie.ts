import { getConfig } from "../config";

// Over HTTPS the cookie is Secure and __Host- prefixed (no Domain, Path=/), so no
// subdomain or plain-HTTP page can plant or read it.
export function sessionCookieName(secure = getConfig().secureCookies): string {
  return secure ? "__Host-warden.session" : "warden.session";
}

export function sessionCookieOptions(maxAgeSeconds: number) {
  return {
    httpOnly: true,
    sameSite: "lax" as const,
    path: "/",
    secure: getConfig().secureCookies,
    maxAge: maxAgeSeconds,
  };
}

type CookieReader = { get(name: string): { value: string } | undefined };

/**
 * The session token a request presents, read under the one name this instance
 * sets. Over HTTPS an unprefixed `warden.session` is ignored: a sibling subdomain
 * or a plain-HTTP response can plant that name (session fixation, login CSRF),
 * but not a `__Host-` one.
 */
export function sessionTokenFrom(cookies: CookieReader, secure = getConfig().secureCookies): { name: string; token: string } | null {
  const name = sessionCookieName(secure);
  const token = cookies.get(name)?.value;
  return token ? { name, token } : null;
}
