"use server";

import { z } from "zod";
import { userAction } from "../user-action";
import { changePassword as changePasswordFor } from "../../auth/change-password";
import { setSessionCookie } from "../../auth/set-session-cookie";

// Empty fields are reported by changePassword together with every other problem,
// rather than here one stage ahead of them.
const schema = z.object({
  currentPassword: z.string().max(1024),
  newPassword: z.string().max(1024),
});

export const changePassword = userAction(schema, async ({ input, session, context }) => {
  const { token, otherSessionsEnded } = await changePasswordFor({ session, context, ...input });
  await setSessionCookie(token);
  return { otherSessionsEnded };
});
