import "server-only";
import { cookies } from "next/headers";
import { getConfig } from "../config";
import { sessionCookieName, sessionCookieOptions, SESSION_COOKIE_NAMES } from "./session-cookie";

export async function setSessionCookie(token: string): Promise<void> {
  const jar = await cookies();
  jar.set(sessionCookieName(), token, sessionCookieOptions(getConfig().SESSION_ABSOLUTE_HOURS * 3600));
}

export async function clearSessionCookie(): Promise<void> {
  const jar = await cookies();
  for (const name of SESSION_COOKIE_NAMES) if (jar.has(name)) jar.delete(name);
}
