import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { authOptions } from "@/lib/auth/next-auth-options";
import { consumeLimits, rateLimitHeaders } from "@/lib/rate-limit/consume";
import { CLIENT_IP_HEADER } from "@/lib/http/header-names";

type Context = { params: Promise<{ nextauth: string[] }> };

const handle = (request: NextRequest, context: Context) => NextAuth(request, context, authOptions());

export function GET(request: NextRequest, context: Context) {
  return handle(request, context);
}

/** Credential sign-ins spend the per-address and per-account limits before next-auth sees them. */
export async function POST(request: NextRequest, context: Context) {
  if (!request.nextUrl.pathname.endsWith("/callback/credentials")) return handle(request, context);

  const form = await request.clone().formData().catch(() => null);
  const email = String(form?.get("email") ?? "").trim().toLowerCase().slice(0, 254);
  // The second MFA step names no email; its challenge stands for the account.
  const account = email || `challenge:${String(form?.get("challenge") ?? "").slice(0, 24)}`;
  const ip = request.headers.get(CLIENT_IP_HEADER) ?? "unknown";
  const verdict = await consumeLimits([
    { name: "signInPerIp", key: ip },
    { name: "signInPerAccount", key: account },
  ]);
  const headers = rateLimitHeaders(verdict);
  if (!verdict.allowed) {
    return Response.json(
      { error: "rate_limited", message: `Too many sign-in attempts. Try again in ${verdict.resetSeconds} seconds.`, retryAfter: verdict.resetSeconds },
      { status: 429, headers },
    );
  }
  const response = await handle(request, context);
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}
