import { z } from "zod";
import { guessablePasswordProblem } from "./guessable-password";

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 128;

export const emailSchema = z.string().trim().toLowerCase().max(254, "Email is too long").pipe(z.email("Enter a valid email address"));

/**
 * The rules for a new password: length, not built from the email's local part,
 * and not common or easy to guess (checked against a bundled list, offline).
 */
export function passwordProblem(password: string, email: string): string | null {
  if (password.length < PASSWORD_MIN) return `Use at least ${PASSWORD_MIN} characters`;
  if (password.length > PASSWORD_MAX) return `Use at most ${PASSWORD_MAX} characters`;
  const local = email.split("@")[0]?.toLowerCase() ?? "";
  if (local.length > 0 && password.toLowerCase().includes(local)) {
    return "The password must not contain your email name";
  }
  return guessablePasswordProblem(password, [local, ...(email.split("@")[1]?.split(".") ?? [])]);
}

/** Adds the password rules to a schema that has `email` and `password` fields. */
export function withPasswordRules<T extends { email: string; password: string }>(schema: z.ZodType<T>) {
  return schema.superRefine((value, ctx) => {
    const problem = passwordProblem(value.password, value.email);
    if (problem) ctx.addIssue({ code: "custom", path: ["password"], message: problem });
  });
}
