import { z } from "zod";
import { CONTROL_MESSAGE, hasControlCharacters, safeText } from "../validation/safe-input";

// Sign-in validates shape only; the password rules apply to new passwords, and
// telling a person their old password breaks a rule would leak nothing useful.
// The one input rule still holds: nothing with a NUL or another control character
// is looked up.
export const signInSchema = z.object({
  email: safeText({ max: 254 }).toLowerCase().min(1, "Enter your email"),
  password: z
    .string()
    .min(1, "Enter your password")
    .max(1024)
    .refine((value) => !hasControlCharacters(value), CONTROL_MESSAGE),
});

export const mfaStepSchema = z.object({
  challenge: safeText({ max: 100, trim: false }).min(20),
  code: safeText({ max: 20 }).min(6),
});
