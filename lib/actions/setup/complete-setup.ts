"use server";

import { redirect } from "next/navigation";
import { createAction } from "../create-action";
import { setupSchema } from "../../setup/schemas";
import { createFirstOwner } from "../../setup/create-first-owner";
import { setSessionCookie } from "../../auth/set-session-cookie";

export const completeSetup = createAction(setupSchema, async ({ input, context }) => {
  const { token, slug } = await createFirstOwner({ input, context });
  await setSessionCookie(token);
  redirect(`/w/${slug}`);
});
