"use client";

import { useState, useTransition } from "react";
import { credentialsSignIn, type SignInOutcome } from "@/lib/auth/client/credentials-sign-in";
import { Field } from "@/components/ui/field";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { safeReturnPath } from "@/lib/security/safe-return-path";

type Errors = { email?: string[]; password?: string[]; code?: string[]; form?: string };

export function SignInForm({ next }: { next: string }) {
  const [errors, setErrors] = useState<Errors>({});
  const [challenge, setChallenge] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function settle(outcome: SignInOutcome | null) {
    if (!outcome) return setErrors({ form: "Warden could not be reached. Check your connection and try again." });
    if (outcome.status === "rate-limited") {
      const at = new Date(Date.now() + outcome.retryAfterSeconds * 1000).toLocaleTimeString();
      return setErrors({ form: `Too many sign-in attempts. Try again in ${outcome.retryAfterSeconds} seconds (at ${at}).` });
    }
    if (outcome.status === "mfa-required") {
      setErrors({});
      return setChallenge(outcome.challenge);
    }
    if (outcome.status === "refused") {
      if (outcome.restart) setChallenge(null);
      return setErrors({ form: outcome.message });
    }
    // A full navigation, so every server component renders for the new session; the
    // path is checked again here, where it is followed.
    window.location.assign(safeReturnPath(next));
  }

  function submit(form: FormData) {
    if (challenge) {
      const code = String(form.get("code") ?? "").trim();
      if (!code) return setErrors({ code: ["Enter the code from your app"] });
      return startTransition(async () => settle(await credentialsSignIn({ challenge, code }, next).catch(() => null)));
    }
    const email = String(form.get("email") ?? "").trim();
    const password = String(form.get("password") ?? "");
    const fieldErrors: Errors = {};
    if (!email) fieldErrors.email = ["Enter your email"];
    if (!password) fieldErrors.password = ["Enter your password"];
    if (fieldErrors.email || fieldErrors.password) return setErrors(fieldErrors);
    startTransition(async () => settle(await credentialsSignIn({ email, password }, next).catch(() => null)));
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
      {challenge ? (
        <Field
          key="code"
          label="Authentication code"
          name="code"
          autoComplete="one-time-code"
          inputMode="text"
          required
          autoFocus
          errors={errors.code}
          hint="The 6-digit code from your authenticator app, or one of your recovery codes."
        />
      ) : (
        <>
          <Field label="Email" name="email" type="email" autoComplete="username" required autoFocus errors={errors.email} />
          <Field label="Password" name="password" type="password" autoComplete="current-password" required errors={errors.password} />
        </>
      )}
      <Button type="submit" pending={pending} className="w-full">
        {pending ? "Signing in…" : challenge ? "Verify" : "Sign in"}
      </Button>
    </form>
  );
}
