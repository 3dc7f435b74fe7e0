"use client";

import Link from "next/link";
import { useActionState } from "react";
import { resetPassword } from "@/lib/actions/account/reset-password";
import { idle } from "@/lib/actions/action-state";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";

export function ResetPasswordForm({ link }: { link: string }) {
  const [state, action, pending] = useActionState(resetPassword, idle);
  if (state.status === "ok") {
    return (
      <div className="space-y-4">
        <FormAlert
          tone="success"
          message={`Your new password is set and every device was signed out.${state.data.mfaCleared ? " Two-factor authentication was cleared: set it up again after you sign in." : ""}`}
        />
        <Link href="/sign-in" className="text-sm font-medium text-indigo-600 underline">Sign in with your new password</Link>
      </div>
    );
  }
  const errors = state.status === "error" ? state.fieldErrors ?? {} : {};
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="link" value={link} />
      <FormAlert message={state.status === "error" && !state.fieldErrors ? state.error : undefined} />
      <Field
        label="New password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        errors={errors.password}
        hint="At least 12 characters, not containing your email name, and not a common password. A few unrelated words work well."
      />
      <Button type="submit" pending={pending} className="w-full">Set new password</Button>
    </form>
  );
}
