import "server-only";
import { cache } from "react";
import { cookies } from "next/headers";
import { getRequestContext } from "../http/request-context";
import { sessionTokenFrom } from "./session-cookie";
import { checkSession, type ValidSession } from "./sessions/check-session";

export type { ValidSession };

/**
 * The signed-in session of this request, checked against the database once per
 * request. middleware.ts has already rotated the token when due and handed the
 * fresh one on, so nothing here rotates.
 */
export const getCurrentSession = cache(async (): Promise<ValidSession | null> => {
  const jar = await cookies();
  const presented = sessionTokenFrom(jar);
  if (!presented) return null;
  const check = await checkSession(presented.token, { rotate: false, context: await getRequestContext() });
  return check?.session ?? null;
});
