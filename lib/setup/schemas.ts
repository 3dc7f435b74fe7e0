import { z } from "zod";
import { emailSchema, withPasswordRules } from "../auth/password-rules";
import { safeText } from "../validation/safe-input";

export const slugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/, "Use 1–48 lowercase letters, digits or dashes, not starting or ending with a dash");

export const setupSchema = withPasswordRules(
  z.object({
    token: safeText({ max: 200 }).min(1, "Enter the setup token printed by the server"),
    name: safeText({ max: 100 }).min(1, "Enter your name"),
    email: emailSchema,
    password: z.string(),
    workspaceName: safeText({ max: 100 }).min(1, "Name your workspace"),
    workspaceSlug: slugSchema,
  }),
);

export type SetupInput = z.output<typeof setupSchema>;
