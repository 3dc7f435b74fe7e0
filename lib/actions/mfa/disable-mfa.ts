"use server";

import { z } from "zod";
import { userAction } from "../user-action";
import { disableMfa as disable } from "../../mfa/manage-mfa";

export const disableMfa = userAction(z.object({ code: z.string().trim().min(1, "Enter a code or a recovery code") }), async ({ input, session, context }) =>
  disable({ session, code: input.code, context }),
);
