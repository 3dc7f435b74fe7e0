// Only same-origin relative paths are honoured after sign-in: "/w/acme/audit" yes;
// "//evil.example", "/\\evil.example", "https://…" and anything odd fall back.
export function safeReturnPath(candidate: string | null | undefined, fallback = "/"): string {
  if (!candidate || candidate.length > 2048) return fallback;
  if (!candidate.startsWith("/") || candidate.startsWith("//") || candidate.startsWith("/\\")) return fallback;
  if (/[\u0000-\u001f\\]/.test(candidate)) return fallback;
  try {
    const url = new URL(candidate, "http://warden.invalid");
    if (url.origin !== "http://warden.invalid") return fallback;
    return url.pathname + url.search + url.hash;
  } catch {
    return fallback;
  }
}
