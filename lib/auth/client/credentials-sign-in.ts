// The browser half of sign-in: next-auth's CSRF token, then its credentials
// endpoint, reading Warden's 429 answer when a rate limit refuses the attempt and
// the second-step states the server reports as error codes.

export type SignInOutcome =
  { status: "signed-in" } | { status: "mfa-required"; challenge: string } | { status: "refused"; message: string; restart?: boolean } | { status: "rate-limited"; retryAfterSeconds: number };

const MESSAGES: Record<string, { message: string; restart?: boolean }> = {
  MFA_INVALID: { message: "That code is not valid, or was already used." },
  MFA_EXPIRED: { message: "The sign-in took too long or too many codes were tried. Enter your password again.", restart: true },
};

export async function credentialsSignIn(fields: Record<string, string>, callbackUrl: string): Promise<SignInOutcome> {
  const { csrfToken } = (await fetch("/api/auth/csrf", { cache: "no-store" }).then((r) => r.json())) as { csrfToken: string };
  const response = await fetch("/api/auth/callback/credentials", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Auth-Return-Redirect": "1" },
    body: new URLSearchParams({ ...fields, csrfToken, callbackUrl, json: "true" }),
  });
  if (response.status === 429) {
    return { status: "rate-limited", retryAfterSeconds: Number(response.headers.get("Retry-After") ?? 60) };
  }
  const body = (await response.json().catch(() => ({}))) as { url?: string };
  const error = body.url ? new URL(body.url, window.location.href).searchParams.get("error") : "unknown";
  if (error?.startsWith("MFA_REQUIRED:")) return { status: "mfa-required", challenge: error.slice("MFA_REQUIRED:".length) };
  if (error && MESSAGES[error]) return { status: "refused", ...MESSAGES[error] };
  if (!response.ok || error) return { status: "refused", message: "Invalid email or password", restart: true };
  return { status: "signed-in" };
}
