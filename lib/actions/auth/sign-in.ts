"use server";

import { redirect } from "next/navigation";
import { createAction } from "../create-action";
import { signInSchema } from "../../auth/sign-in-schema";
import { verifyCredentials } from "../../auth/verify-credentials";
import { createSession } from "../../auth/sessions/create-session";
import { setSessionCookie } from "../../auth/set-session-cookie";
import { withSystem } from "../../db/system";
import { safeReturnPath } from "../../security/safe-return-path";

export const signIn = createAction(signInSchema, async ({ input, context }) => {
  const user = await verifyCredentials(input.email, input.password);
  const { token } = await withSystem((tx) => createSession(tx, { userId: user.id, context }));
  await setSessionCookie(token);
  redirect(safeReturnPath(input.next, "/"));
});
