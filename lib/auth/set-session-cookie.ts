import "server-only";
import { cookies } from "next/headers";
import { getConfig } from "../config";
import { sessionCookieName, sessionCookieOptions } from "./session-cookie";

export async function setSessionCookie(token: string): Promise<void> {
  const jar = await cookies();
  jar.set(sessionCookieName(), token, sessionCookieOptions(getConfig().SESSION_ABSOLUTE_HOURS * 3600));
}
