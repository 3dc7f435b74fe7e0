"use server";

import { redirect } from "next/navigation";
import { createAction } from "../create-action";
import { setupSchema } from "../../setup/schemas";
import { createFirstOwner } from "../../setup/create-first-owner";
import { setSessionCookie } from "../../auth/set-session-cookie";
import { AppError } from "../../errors";
import { consumeLimits } from "../../rate-limit/consume";

/**
 * Public until the first owner exists, and callable after: limited per address before anything else runs.
 * A refused form keeps the setup token: the person copied it from their own terminal. The password is typed again.
 */
export const completeSetup = createAction(
  setupSchema,
  async ({ input, context }) => {
    const verdict = await consumeLimits([{ name: "setupPerIp", key: context.ip ?? "unknown" }]);
    if (!verdict.allowed) {
      throw new AppError("rate_limited", `Too many setup attempts from this address. Try again in ${Math.max(1, Math.ceil(verdict.resetSeconds / 60))} minutes.`);
    }
    const { token, slug } = await createFirstOwner({ input, context });
    await setSessionCookie(token);
    redirect(`/w/${slug}`);
  },
  { echo: ["token"] },
);
