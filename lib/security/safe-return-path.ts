// Only same-origin relative paths are honoured after sign-in: "/w/acme/audit" yes;
// "//evil.example", "/\\evil.example", "https://…" and anything odd fall back.
const BASE = "http://warden.invalid";

// A path the browser would read as another host ("//host", "/\\host").
const networkPath = (path: string) => !path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\");

/**
 * The return path to honour, or `fallback`. The check runs on what the URL parser
 * makes of the candidate as well as on the raw string: dot segments ("/.//evil",
 * "/%2e%2e//evil", "/a/..//evil") normalise into "//evil", which a browser follows
 * to another host. Anything but one string (`next=a&next=b`) falls back.
 */
export function safeReturnPath(candidate: unknown, fallback = "/"): string {
  if (typeof candidate !== "string" || candidate.length === 0 || candidate.length > 2048) return fallback;
  if (networkPath(candidate) || /[\u0000-\u001f\u007f\\]/.test(candidate)) return fallback;
  try {
    const url = new URL(candidate, BASE);
    const path = url.pathname + url.search + url.hash;
    if (url.origin !== BASE || networkPath(path)) return fallback;
    // What we return must mean the same path when the browser resolves it in turn.
    const again = new URL(path, BASE);
    if (again.origin !== BASE || again.pathname + again.search + again.hash !== path) return fallback;
    return path;
  } catch {
    return fallback;
  }
}
