"use client";

import { useActionState } from "react";
import { resetPassword } from "@/lib/actions/account/reset-password";
import { idle } from "@/lib/actions/action-state";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";

export function ResetPasswordForm({ link }: { link: string }) {
  const [state, action, pending] = useActionState(resetPassword, idle);
  const errors = state.status === "error" ? (state.fieldErrors ?? {}) : {};
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
      <Button type="submit" pending={pending} className="w-full">
        Set new password
      </Button>
    </form>
  );
}
