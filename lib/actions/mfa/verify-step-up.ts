"use server";

import { z } from "zod";
import { AppError } from "../../errors";
import { userAction } from "../user-action";
import { verifyStepUp as verify } from "../../mfa/step-up";
import { setSessionCookie } from "../../auth/set-session-cookie";

export const verifyStepUp = userAction(z.object({ code: z.string().trim().min(1, "Enter the code from your app") }), async ({ input, session, context }) => {
  const result = await verify({ session, code: input.code, context });
  if (!result) throw new AppError("invalid_input", "Check the highlighted fields.", { code: ["That code is not valid, or was already used."] });
  await setSessionCookie(result.token);
  return { verified: true };
});
