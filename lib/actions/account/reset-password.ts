"use server";

import { createAction } from "../create-action";
import { resetPasswordSchema } from "../../recovery/schemas";
import { resetPasswordWithLink } from "../../recovery/reset-password-with-link";

/** Public by design (the person cannot sign in); the single-use link is the authority. */
export const resetPassword = createAction(resetPasswordSchema, async ({ input, context }) => {
  const { email, mfaCleared } = await resetPasswordWithLink({ link: input.link, password: input.password, context });
  return { email, mfaCleared };
});
