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

// middleware.ts only checks that one of these is present; the server validates it.
export const SESSION_COOKIE_NAMES = ["__Host-warden.session", "warden.session"];
