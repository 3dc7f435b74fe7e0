import "server-only";
import { cache } from "react";
import { cookies } from "next/headers";
import { SESSION_COOKIE_NAMES } from "./session-cookie";
import { validateSession, type ValidSession } from "./sessions/validate-session";

/** The signed-in session of this request, checked against the database once per request. */
export const getCurrentSession = cache(async (): Promise<ValidSession | null> => {
  const jar = await cookies();
  for (const name of SESSION_COOKIE_NAMES) {
    const token = jar.get(name)?.value;
    if (token) return validateSession(token);
  }
  return null;
});
