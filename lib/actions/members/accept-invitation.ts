"use server";

import { z } from "zod";
import { redirect } from "next/navigation";
import { AppError } from "../../errors";
import { createAction } from "../create-action";
import { getCurrentSession } from "../../auth/current-session";
import { setSessionCookie } from "../../auth/set-session-cookie";
import { acceptInvitation as accept } from "../../members/accept-invitation";
import { consumeLimits } from "../../rate-limit/consume";
import { safeText } from "../../validation/safe-input";

const schema = z.object({
  link: z.string().min(1),
  name: safeText({ max: 100 }).optional(),
  password: z.string().max(1024).optional(),
});

/**
 * Public by design (the invitee may have no account yet); the single-use token is
 * the authority. A new account costs an Argon2 hash, so every try is limited per
 * address before anything else runs (the domain function refuses a dead link or
 * a weak password before hashing).
 */
export const acceptInvitation = createAction(schema, async ({ input, context }) => {
  const verdict = await consumeLimits([{ name: "invitationAcceptPerIp", key: context.ip ?? "unknown" }]);
  if (!verdict.allowed) {
    throw new AppError("rate_limited", `Too many attempts from this address. Try again in ${Math.max(1, Math.ceil(verdict.resetSeconds / 60))} minutes.`);
  }
  const session = await getCurrentSession();
  let result;
  if (session) {
    result = await accept({ link: input.link, context, session });
  } else {
    if (!input.name) throw new AppError("invalid_input", "Check the highlighted fields.", { name: ["Enter your name"] });
    if (!input.password) throw new AppError("invalid_input", "Check the highlighted fields.", { password: ["Choose a password"] });
    result = await accept({ link: input.link, context, newAccount: { name: input.name, password: input.password } });
  }
  if (result.sessionToken) await setSessionCookie(result.sessionToken);
  redirect(`/w/${result.slug}`);
});
