// The browser half of sign-in: next-auth's CSRF token, then its credentials
// endpoint, reading Warden's 429 answer when a rate limit refuses the attempt.

export type SignInOutcome =
  | { status: "signed-in" }
  | { status: "refused"; message: string }
  | { status: "rate-limited"; retryAfterSeconds: number };

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
  if (!response.ok || error) return { status: "refused", message: "Invalid email or password" };
  return { status: "signed-in" };
}
