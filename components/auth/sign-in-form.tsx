"use client";

import { useState, useTransition } from "react";
import { credentialsSignIn } from "@/lib/auth/client/credentials-sign-in";
import { Field } from "@/components/ui/field";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";

type Errors = { email?: string[]; password?: string[]; form?: string };

export function SignInForm({ next }: { next: string }) {
  const [errors, setErrors] = useState<Errors>({});
  const [pending, startTransition] = useTransition();

  function submit(form: FormData) {
    const email = String(form.get("email") ?? "").trim();
    const password = String(form.get("password") ?? "");
    const fieldErrors: Errors = {};
    if (!email) fieldErrors.email = ["Enter your email"];
    if (!password) fieldErrors.password = ["Enter your password"];
    if (fieldErrors.email || fieldErrors.password) return setErrors(fieldErrors);

    startTransition(async () => {
      const outcome = await credentialsSignIn({ email, password }, next).catch(() => null);
      if (!outcome) return setErrors({ form: "Warden could not be reached. Check your connection and try again." });
      if (outcome.status === "rate-limited") {
        const at = new Date(Date.now() + outcome.retryAfterSeconds * 1000).toLocaleTimeString();
        return setErrors({ form: `Too many sign-in attempts. Try again in ${outcome.retryAfterSeconds} seconds (at ${at}).` });
      }
      if (outcome.status === "refused") return setErrors({ form: outcome.message });
      // A full navigation, so every server component renders for the new session.
      window.location.assign(next);
    });
  }

  return (
    <form
      className="space-y-4"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        submit(new FormData(event.currentTarget));
      }}
    >
      <FormAlert message={errors.form} />
      <Field label="Email" name="email" type="email" autoComplete="username" required autoFocus errors={errors.email} />
      <Field label="Password" name="password" type="password" autoComplete="current-password" required errors={errors.password} />
      <Button type="submit" pending={pending} className="w-full">
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
