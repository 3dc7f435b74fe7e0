import { createRequire } from "node:module";
import path from "node:path";
import type { NextRequest } from "next/server";
import type { NextAuthOptions } from "next-auth";

// next-auth's App Router glue reads cookies and headers through next/headers,
// which only works inside a Next.js request. Route tests stand in this glue: the
// same steps (next-auth's own body reader, its core handler, the json=true
// answer), with cookies and headers read from the Request itself. Everything the
// route does before and after next-auth, and next-auth's core, run for real.
//   vi.mock("next-auth", async () => (await import("../support/next-auth-route")).nextAuthModule);

const load = createRequire(import.meta.url);
const root = path.resolve(__dirname, "../../node_modules/next-auth");
const { AuthHandler } = load(path.join(root, "core/index.js"));
const { getBody, toResponse } = load(path.join(root, "next/utils.js"));

async function NextAuth(req: NextRequest, context: { params: Promise<{ nextauth: string[] }> }, options: NextAuthOptions): Promise<Response> {
  const nextauth = (await context.params).nextauth;
  const query = Object.fromEntries(req.nextUrl.searchParams);
  const body = await getBody(req);
  const internal = await AuthHandler({
    req: {
      body,
      query,
      cookies: Object.fromEntries(req.cookies.getAll().map((c) => [c.name, c.value])),
      headers: Object.fromEntries(req.headers),
      method: req.method,
      action: nextauth[0],
      providerId: nextauth[1],
      error: query.error ?? nextauth[1],
    },
    options,
  });
  const response: Response = toResponse(internal);
  const redirect = response.headers.get("Location");
  if (body?.json === "true" && redirect) {
    response.headers.delete("Location");
    response.headers.set("Content-Type", "application/json");
    return new Response(JSON.stringify({ url: redirect }), { status: internal.status, headers: response.headers });
  }
  return response;
}

export const nextAuthModule = { default: NextAuth };
