"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { SESSION_COOKIE_NAMES } from "../../auth/session-cookie";
import { clearSessionCookie } from "../../auth/set-session-cookie";
import { revokeSessionByToken } from "../../auth/sessions/revoke-session";

export async function signOut(): Promise<void> {
  const jar = await cookies();
  for (const name of SESSION_COOKIE_NAMES) {
    const token = jar.get(name)?.value;
    if (token) await revokeSessionByToken(token, "signed_out");
  }
  await clearSessionCookie();
  redirect("/sign-in");
}
