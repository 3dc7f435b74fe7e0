"use client";

import { useActionState } from "react";
import { signIn } from "@/lib/actions/auth/sign-in";
import { idle } from "@/lib/actions/action-state";
import { Field } from "@/components/ui/field";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";

export function SignInForm({ next }: { next: string }) {
  const [state, action, pending] = useActionState(signIn, idle);
  const errors = state.status === "error" ? state.fieldErrors ?? {} : {};
  const email = state.status === "error" ? state.values?.email : undefined;
  return (
    <form action={action} className="space-y-4" noValidate>
      <FormAlert message={state.status === "error" && !state.fieldErrors ? state.error : undefined} />
      <input type="hidden" name="next" value={next} />
      <Field label="Email" name="email" type="email" autoComplete="username" required autoFocus defaultValue={email} errors={errors.email} />
      <Field label="Password" name="password" type="password" autoComplete="current-password" required errors={errors.password} />
      <Button type="submit" pending={pending} className="w-full">
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
