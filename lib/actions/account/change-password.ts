"use server";

import { z } from "zod";
import { userAction } from "../user-action";
import { changePassword as changePasswordFor } from "../../auth/change-password";
import { setSessionCookie } from "../../auth/set-session-cookie";

const schema = z.object({
  currentPassword: z.string().min(1, "Enter your current password").max(1024),
  newPassword: z.string().min(1, "Enter a new password").max(1024),
});

export const changePassword = userAction(schema, async ({ input, session, context }) => {
  const { token, otherSessionsEnded } = await changePasswordFor({ session, context, ...input });
  await setSessionCookie(token);
  return { otherSessionsEnded };
});
