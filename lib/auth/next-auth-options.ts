import type { NextAuthOptions } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { getConfig } from "../config";
import { log } from "../log";
import { isAppError } from "../errors";
import { safeReturnPath } from "../security/safe-return-path";
import { CLIENT_IP_HEADER, CLIENT_REQUEST_ID_HEADER, REQUEST_ID_HEADER } from "../http/header-names";
import type { RequestContext } from "../http/request-context";
import { sessionCookieName } from "./session-cookie";
import { mfaStepSchema, signInSchema } from "./sign-in-schema";
import { completeMfaChallenge, EXPIRED_CHALLENGE, INVALID_CODE } from "../mfa/sign-in-challenge";

export const MFA_REQUIRED = "MFA_REQUIRED";
import { signInWithPassword } from "./sign-in-with-password";
import { checkSession } from "./sessions/check-session";
import { signOutSession } from "./sessions/sign-out-session";

// next-auth runs the sign-in and sign-out endpoints (CSRF-checked). Its "JWT" is
// replaced by Warden's opaque session token: encode hands next-auth the token to
// put in the cookie, decode accepts only a token whose server-side session is
// live. So every session is a database row that can be revoked at once.

type HeaderBag = Record<string, string | string[] | undefined> | undefined;

function contextFrom(headers: HeaderBag): RequestContext {
  const one = (name: string) => {
    const value = headers?.[name];
    return (Array.isArray(value) ? value[0] : value) ?? null;
  };
  return { ip: one(CLIENT_IP_HEADER), userAgent: one("user-agent")?.slice(0, 512) ?? null, requestId: one(REQUEST_ID_HEADER), clientRequestId: one(CLIENT_REQUEST_ID_HEADER) };
}

function sameOriginPath(url: string, baseUrl: string): string {
  try {
    const parsed = new URL(url);
    return parsed.origin === new URL(baseUrl).origin ? parsed.pathname + parsed.search + parsed.hash : url;
  } catch {
    return url;
  }
}

export function authOptions(): NextAuthOptions {
  const config = getConfig();
  const cookie = (name: string, httpOnly = true) => ({
    name,
    options: { httpOnly, sameSite: "lax" as const, path: "/", secure: config.secureCookies },
  });
  return {
    secret: config.AUTH_SECRET,
    session: { strategy: "jwt", maxAge: config.SESSION_ABSOLUTE_HOURS * 3600 },
    useSecureCookies: config.secureCookies,
    cookies: {
      sessionToken: cookie(sessionCookieName()),
      csrfToken: cookie(config.secureCookies ? "__Host-warden.csrf" : "warden.csrf"),
      callbackUrl: cookie(config.secureCookies ? "__Secure-warden.callback" : "warden.callback"),
    },
    providers: [
      Credentials({
        id: "credentials",
        name: "Email and password",
        credentials: {
          email: { label: "Email", type: "email" },
          password: { label: "Password", type: "password" },
          challenge: { type: "hidden" },
          code: { label: "Authentication code", type: "text" },
        },
        // A refusal is null (next-auth's generic CredentialsSignin); the MFA step's
        // states travel as the error code the browser reads (never a credential).
        async authorize(credentials, req) {
          const context = contextFrom(req.headers);
          try {
            const step = mfaStepSchema.safeParse(credentials ?? {});
            if (step.success) {
              const result = await completeMfaChallenge({ ...step.data, context });
              return { id: result.userId, sessionToken: result.token };
            }
            const parsed = signInSchema.safeParse(credentials ?? {});
            if (!parsed.success) return null;
            const result = await signInWithPassword({ ...parsed.data, context });
            if (result.kind === "mfa_required") throw new Error(`${MFA_REQUIRED}:${result.challenge}`);
            return { id: result.userId, sessionToken: result.token };
          } catch (error) {
            if (isAppError(error) && (error.message === INVALID_CODE || error.message === EXPIRED_CHALLENGE)) throw new Error(error.message);
            if (error instanceof Error && error.message.startsWith(`${MFA_REQUIRED}:`)) throw error;
            // next-auth would put any other message in the URL it returns; nothing internal leaves.
            if (!isAppError(error)) log.error({ err: error, requestId: context.requestId }, "sign-in failed unexpectedly");
            return null;
          }
        },
      }),
    ],
    jwt: {
      encode: async ({ token }) => String(token?.sessionToken ?? ""),
      decode: async ({ token }) => {
        if (!token) return null;
        const check = await checkSession(token, { rotate: false, context: { ip: null, userAgent: null, requestId: null } });
        return check ? { sessionToken: token, sub: check.session.user.id } : null;
      },
    },
    callbacks: {
      // Where next-auth sends the browser after sign-in and sign-out (the body's or
      // query's callbackUrl, or its cookie): only a same-origin relative path, else "/".
      // An absolute URL on the console's own origin is reduced to its path first.
      redirect: ({ url, baseUrl }) => safeReturnPath(sameOriginPath(url, baseUrl), "/"),
      jwt: ({ token, user }) => (user ? { sessionToken: user.sessionToken, sub: user.id } : token),
      session: ({ session }) => ({ expires: session.expires }),
    },
    events: {
      signOut: async ({ token }) => {
        if (token?.sessionToken) await signOutSession(String(token.sessionToken));
      },
    },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    // next-auth's own logger would print request metadata; log codes only.
    logger: {
      error: (code) => log.warn({ code }, "next-auth error"),
      warn: (code) => log.debug({ code }, "next-auth warning"),
      debug: () => {},
    },
  };
}
