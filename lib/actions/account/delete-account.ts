"use server";

import { z } from "zod";
import { cookies } from "next/headers";
import { userAction } from "../user-action";
import { eraseAccount } from "../../account/erase-account";
import { sessionCookieName } from "../../auth/session-cookie";

const schema = z.object({
  email: z.string().max(320),
  password: z.string().max(1024),
  code: z.string().max(64).optional(),
});

/**
 * Deletes the caller's own account (Account → Security). Its sessions are gone
 * with it, this one included: the cookie is cleared and the page goes to sign-in.
 */
export const deleteAccount = userAction(schema, async ({ input, session, context }) => {
  const result = await eraseAccount({ session, context, ...input });
  (await cookies()).delete(sessionCookieName());
  return { pseudonym: result.pseudonym };
});
