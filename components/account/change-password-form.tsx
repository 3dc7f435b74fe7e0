"use client";

import { useActionState } from "react";
import { changePassword } from "@/lib/actions/account/change-password";
import { idle } from "@/lib/actions/action-state";
import { Field } from "@/components/ui/field";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";

export function ChangePasswordForm() {
  const [state, action, pending] = useActionState(changePassword, idle);
  const errors = state.status === "error" ? (state.fieldErrors ?? {}) : {};
  return (
    <form action={action} className="max-w-md space-y-4" noValidate>
      <FormAlert message={state.status === "error" && !state.fieldErrors ? state.error : undefined} />
      <FormAlert
        tone="success"
        message={state.status === "ok" ? `Password changed. ${state.data.otherSessionsEnded} other ${state.data.otherSessionsEnded === 1 ? "session was" : "sessions were"} signed out.` : undefined}
      />
      <Field label="Current password" name="currentPassword" type="password" autoComplete="current-password" required errors={errors.currentPassword} />
      <Field
        label="New password"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        required
        minLength={12}
        errors={errors.newPassword}
        hint="At least 12 characters, not containing your email name, and not a common password. A few unrelated words work well."
      />
      <Button type="submit" pending={pending}>
        {pending ? "Changing…" : "Change password"}
      </Button>
    </form>
  );
}
