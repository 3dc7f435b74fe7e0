import NextAuth, { type NextAuthOptions } from "next-auth";
import { NextRequest } from "next/server";
import { authOptions } from "@/lib/auth/next-auth-options";
import { parseSignInBody } from "@/lib/auth/sign-in-request";
import { refuseMalformedAuthRequest } from "@/lib/auth/auth-request-guard";
import { challengeOwnerEmail } from "@/lib/mfa/sign-in-challenge";
import { consumeLimits, rateLimitHeaders } from "@/lib/rate-limit/consume";
import { CLIENT_IP_HEADER } from "@/lib/http/header-names";

type Context = { params: Promise<{ nextauth: string[] }> };

/**
 * Every request is checked before next-auth sees it: one it would answer with a
 * 500 (an unknown endpoint, a GET on the credentials callback, a callbackUrl or
 * error it cannot handle, a planted callback cookie) is refused with a 4xx.
 */
async function refusal(request: NextRequest, context: Context, options: NextAuthOptions) {
  const callbackCookie = options.cookies?.callbackUrl ?? { name: "", options: {} };
  return refuseMalformedAuthRequest(request, (await context.params).nextauth, callbackCookie);
}

export async function GET(request: NextRequest, context: Context) {
  const options = authOptions();
  return (await refusal(request, context, options)) ?? NextAuth(request, context, options);
}

/**
 * Credential sign-ins spend the per-address and per-account limits before
 * next-auth sees them. The body is parsed once (parseSignInBody) and next-auth is
 * handed exactly those fields, so the account a limit counts is the account whose
 * password is verified. The second MFA step counts against the challenge's owner,
 * looked up on the server; nothing the client adds to the form picks the bucket.
 */
export async function POST(request: NextRequest, context: Context) {
  const options = authOptions();
  const refused = await refusal(request, context, options);
  if (refused) return refused;
  if ((await context.params).nextauth[0] !== "callback") return NextAuth(request, context, options);

  const parsed = await parseSignInBody(request);
  if (!parsed.ok) return Response.json({ error: "invalid_request", message: parsed.message }, { status: 400 });
  const account = parsed.step.kind === "password" ? parsed.step.email : ((await challengeOwnerEmail(parsed.step.challenge)) ?? "unknown-challenge");
  const verdict = await consumeLimits([
    { name: "signInPerIp", key: request.headers.get(CLIENT_IP_HEADER) ?? "unknown" },
    { name: "signInPerAccount", key: account },
  ]);
  const headers = rateLimitHeaders(verdict);
  if (!verdict.allowed) {
    return Response.json({ error: "rate_limited", message: `Too many sign-in attempts. Try again in ${verdict.resetSeconds} seconds.`, retryAfter: verdict.resetSeconds }, { status: 429, headers });
  }
  const forwarded = new Headers(request.headers);
  forwarded.delete("content-length");
  const canonical = new NextRequest(request.url, { method: "POST", headers: forwarded, body: parsed.body.toString() });
  const response = await NextAuth(canonical, context, options);
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}
