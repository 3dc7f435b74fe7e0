"use server";

import { z } from "zod";
import { userAction } from "../user-action";
import { confirmEnrollment as confirm } from "../../mfa/enrollment";
import { setSessionCookie } from "../../auth/set-session-cookie";

// The one action whose result carries secrets: the recovery codes, shown once.
export const confirmEnrollment = userAction(z.object({ code: z.string().trim().min(1, "Enter the code from your app") }), async ({ input, session, context }) => {
  const { token, recoveryCodes } = await confirm({ session, code: input.code, context });
  await setSessionCookie(token);
  return { recoveryCodes };
});
