import "server-only";
import { cache } from "react";
import { cookies } from "next/headers";
import { getRequestContext } from "../http/request-context";
import { SESSION_COOKIE_NAMES } from "./session-cookie";
import { checkSession, type ValidSession } from "./sessions/check-session";

export type { ValidSession };

/**
 * The signed-in session of this request, checked against the database once per
 * request. middleware.ts has already rotated the token when due and handed the
 * fresh one on, so nothing here rotates.
 */
export const getCurrentSession = cache(async (): Promise<ValidSession | null> => {
  const jar = await cookies();
  const token = SESSION_COOKIE_NAMES.map((name) => jar.get(name)?.value).find(Boolean);
  if (!token) return null;
  const check = await checkSession(token, { rotate: false, context: await getRequestContext() });
  return check?.session ?? null;
});
