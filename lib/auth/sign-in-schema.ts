import { z } from "zod";

// Sign-in validates shape only; the password rules apply to new passwords, and
// telling a person their old password breaks a rule would leak nothing useful.
export const signInSchema = z.object({
  email: z.string().trim().toLowerCase().min(1, "Enter your email").max(254),
  password: z.string().min(1, "Enter your password").max(1024),
});

export const mfaStepSchema = z.object({
  challenge: z.string().min(20).max(100),
  code: z.string().trim().min(6).max(20),
});
