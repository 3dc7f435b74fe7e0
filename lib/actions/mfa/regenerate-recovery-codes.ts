"use server";

import { z } from "zod";
import { userAction } from "../user-action";
import { regenerateRecoveryCodes as regenerate } from "../../mfa/manage-mfa";

export const regenerateRecoveryCodes = userAction(z.object({ code: z.string().trim().min(1, "Enter a code from your app") }), async ({ input, session, context }) => ({
  recoveryCodes: await regenerate({ session, code: input.code, context }),
}));
