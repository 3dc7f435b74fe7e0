import { NextResponse, type NextRequest } from "next/server";

// next-auth answers 500 to several inputs anyone can send: a callbackUrl (query or
// cookie) it cannot parse as an http URL fails its configuration check; an `error`
// it copies unencoded into a Location header (NUL, U+202E) makes Headers.set throw;
// a GET on the credentials callback reaches its "provider type not supported".
// So every request to /api/auth is checked here first and a malformed one gets a
// 4xx before next-auth sees it. Off-site callbackUrls are not refused here: they
// are valid URLs, and the redirect callback turns them into "/".

type CookieSpec = { name: string; options: { secure?: boolean } };

// The endpoints the console uses, by method: [action, provider ids allowed after it].
const ENDPOINTS: Record<"GET" | "POST", Record<string, readonly string[]>> = {
  GET: { csrf: [], session: [], providers: [], signin: ["credentials"], signout: [], error: [] },
  POST: { callback: ["credentials"], signout: [] },
};

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// next-auth's own codes and the MFA step's `MFA_REQUIRED:<base64url challenge>`.
const ERROR_CODE = /^[A-Za-z0-9_:.-]{1,200}$/;
const MAX_CALLBACK_URL = 2048;

const refuse = (status: number, error: string, message: string, headers?: HeadersInit) => NextResponse.json({ error, message }, { status, headers });

/** What next-auth's configuration check accepts as a callbackUrl, minus control characters. */
export function parsableCallbackUrl(value: string): boolean {
  if (value.length === 0 || value.length > MAX_CALLBACK_URL || CONTROL.test(value)) return false;
  if (value.startsWith("/")) return true;
  try {
    return /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** The endpoint's refusal of a malformed request, or null when next-auth may handle it. */
export function refuseMalformedAuthRequest(request: NextRequest, segments: string[], callbackCookie: CookieSpec): Response | null {
  const method = request.method === "GET" || request.method === "POST" ? request.method : null;
  if (!method) return refuse(405, "method_not_allowed", "Use GET or POST.", { Allow: "GET, POST" });
  const [action, provider, ...rest] = segments;
  if (method === "GET" && action === "callback") {
    return refuse(405, "method_not_allowed", "Sign in from the sign-in page; this endpoint takes the form's POST.", { Allow: "POST" });
  }
  const providers = ENDPOINTS[method][action ?? ""];
  if (!providers || rest.length > 0 || (provider !== undefined && !providers.includes(provider))) {
    return refuse(404, "not_found", "There is no such sign-in endpoint.");
  }

  const seen = new Set<string>();
  for (const [name, value] of request.nextUrl.searchParams) {
    if (seen.has(name)) return refuse(400, "invalid_request", `The parameter ${JSON.stringify(name.slice(0, 40))} was given more than once.`);
    seen.add(name);
    if (CONTROL.test(name) || CONTROL.test(value)) return refuse(400, "invalid_request", "The request contains control characters.");
  }
  const callbackUrl = request.nextUrl.searchParams.get("callbackUrl");
  if (callbackUrl !== null && !parsableCallbackUrl(callbackUrl)) return refuse(400, "invalid_request", "The callbackUrl is not a valid address.");
  const error = request.nextUrl.searchParams.get("error");
  if (error !== null && !ERROR_CODE.test(error)) return refuse(400, "invalid_request", "The error parameter is not a known code.");

  // Warden sets this cookie only to what the redirect callback returned; anything
  // else was planted or damaged. It is cleared so the next attempt starts clean.
  const cookie = request.cookies.get(callbackCookie.name)?.value;
  if (cookie !== undefined && cookie !== "" && !parsableCallbackUrl(cookie)) {
    const response = refuse(400, "invalid_request", "A sign-in cookie was malformed and has been cleared; try again.");
    response.cookies.set(callbackCookie.name, "", { path: "/", httpOnly: true, sameSite: "lax", secure: callbackCookie.options.secure, maxAge: 0 });
    return response;
  }
  return null;
}
