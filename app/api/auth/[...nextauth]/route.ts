import NextAuth from "next-auth";
import { NextRequest } from "next/server";
import { authOptions } from "@/lib/auth/next-auth-options";
import { parseSignInBody } from "@/lib/auth/sign-in-request";
import { challengeOwnerEmail } from "@/lib/mfa/sign-in-challenge";
import { consumeLimits, rateLimitHeaders } from "@/lib/rate-limit/consume";
import { CLIENT_IP_HEADER } from "@/lib/http/header-names";

type Context = { params: Promise<{ nextauth: string[] }> };

const handle = (request: NextRequest, context: Context) => NextAuth(request, context, authOptions());

export function GET(request: NextRequest, context: Context) {
  return handle(request, context);
}

/**
 * Credential sign-ins spend the per-address and per-account limits before
 * next-auth sees them. The body is parsed once (parseSignInBody) and next-auth is
 * handed exactly those fields, so the account a limit counts is the account whose
 * password is verified. The second MFA step counts against the challenge's owner,
 * looked up on the server; nothing the client adds to the form picks the bucket.
 */
export async function POST(request: NextRequest, context: Context) {
  if (!request.nextUrl.pathname.endsWith("/callback/credentials")) return handle(request, context);

  const parsed = await parseSignInBody(request);
  if (!parsed.ok) return Response.json({ error: "invalid_request", message: parsed.message }, { status: 400 });
  const account =
    parsed.step.kind === "password" ? parsed.step.email : ((await challengeOwnerEmail(parsed.step.challenge)) ?? "unknown-challenge");
  const verdict = await consumeLimits([
    { name: "signInPerIp", key: request.headers.get(CLIENT_IP_HEADER) ?? "unknown" },
    { name: "signInPerAccount", key: account },
  ]);
  const headers = rateLimitHeaders(verdict);
  if (!verdict.allowed) {
    return Response.json(
      { error: "rate_limited", message: `Too many sign-in attempts. Try again in ${verdict.resetSeconds} seconds.`, retryAfter: verdict.resetSeconds },
      { status: 429, headers },
    );
  }
  const forwarded = new Headers(request.headers);
  forwarded.delete("content-length");
  const canonical = new NextRequest(request.url, { method: "POST", headers: forwarded, body: parsed.body.toString() });
  const response = await handle(canonical, context);
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}
