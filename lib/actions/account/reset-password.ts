"use server";

import { redirect } from "next/navigation";
import { createAction } from "../create-action";
import { resetPasswordSchema } from "../../recovery/schemas";
import { resetPasswordWithLink } from "../../recovery/reset-password-with-link";

/** Public by design (the person cannot sign in); the single-use link is the authority. */
export const resetPassword = createAction(resetPasswordSchema, async ({ input, context }) => {
  const { mfaCleared } = await resetPasswordWithLink({ link: input.link, password: input.password, context });
  // Away from the link's page, which now (rightly) says the link was used.
  redirect(mfaCleared ? "/reset/done?mfa=cleared" : "/reset/done");
});
