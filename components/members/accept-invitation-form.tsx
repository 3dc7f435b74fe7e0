"use client";

import { useActionState } from "react";
import { acceptInvitation } from "@/lib/actions/members/accept-invitation";
import { idle } from "@/lib/actions/action-state";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";

export function AcceptInvitationForm({ link, newAccount }: { link: string; newAccount: boolean }) {
  const [state, action, pending] = useActionState(acceptInvitation, idle);
  const errors = state.status === "error" ? (state.fieldErrors ?? {}) : {};
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="link" value={link} />
      <FormAlert message={state.status === "error" && !state.fieldErrors ? state.error : undefined} />
      {newAccount ? (
        <>
          <Field label="Your name" name="name" autoComplete="name" required errors={errors.name} defaultValue={state.status === "error" ? state.values?.name : undefined} />
          <Field
            label="Password"
            name="password"
            type="password"
            autoComplete="new-password"
            required
            errors={errors.password}
            hint="At least 12 characters, not containing your email name, and not a common password. A few unrelated words work well."
          />
        </>
      ) : null}
      <Button type="submit" pending={pending} className="w-full">
        {newAccount ? "Create account and join" : "Join workspace"}
      </Button>
    </form>
  );
}
