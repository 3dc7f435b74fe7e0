import { z } from "zod";
import { emailSchema, withPasswordRules } from "../auth/password-rules";

export const slugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/, "Use 1–48 lowercase letters, digits or dashes, not starting or ending with a dash");

export const setupSchema = withPasswordRules(
  z.object({
    token: z.string().trim().min(1, "Enter the setup token printed by the server"),
    name: z.string().trim().min(1, "Enter your name").max(100, "Use at most 100 characters"),
    email: emailSchema,
    password: z.string(),
    workspaceName: z.string().trim().min(1, "Name your workspace").max(100, "Use at most 100 characters"),
    workspaceSlug: slugSchema,
  }),
);

export type SetupInput = z.output<typeof setupSchema>;
