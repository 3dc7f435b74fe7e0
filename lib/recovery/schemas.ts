import { z } from "zod";

export const issueResetLinkSchema = z.object({
  userId: z.uuid("Unknown member"),
  // A checkbox: present ("on") only when the issuer ticked it.
  clearMfa: z
    .literal("on")
    .optional()
    .transform((value) => value === "on"),
});

export const resetPasswordSchema = z.object({
  link: z.string().max(200),
  password: z.string().max(1024),
});
