"use client";

import { useActionState, useEffect } from "react";
import { deleteAccount } from "@/lib/actions/account/delete-account";
import { idle } from "@/lib/actions/action-state";
import { Field } from "@/components/ui/field";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";

/**
 * Account → Security → Delete account: the email typed, the password, and a code
 * when the account has two-factor authentication. The server refuses while the
 * person is the last owner of a workspace, and says which.
 */
export function DeleteAccountForm({ email, mfaEnabled }: { email: string; mfaEnabled: boolean }) {
  const [state, action, pending] = useActionState(deleteAccount, idle);
  const errors = state.status === "error" ? (state.fieldErrors ?? {}) : {};
  useEffect(() => {
    // The account and its sessions are gone: nothing of the app is left to show.
    if (state.status === "ok") window.location.assign("/sign-in");
  }, [state.status]);
  return (
    <form action={action} className="max-w-md space-y-4" noValidate>
      <p className="text-sm text-zinc-600 dark:text-zinc-300">
        Deletes your account, your memberships, sessions, two-factor authentication and recovery codes, and your personal security log. Workspace audit logs keep what you did under a pseudonym
        (deleted-user-…), so they still verify. Not possible while you are the last owner of a workspace.
      </p>
      <FormAlert message={state.status === "error" && !state.fieldErrors ? state.error : undefined} />
      <FormAlert tone="success" message={state.status === "ok" ? "Your account is deleted." : undefined} />
      <Field label={`Type your email (${email}) to confirm`} name="email" type="email" autoComplete="off" required errors={errors.email} />
      <Field label="Password" name="password" type="password" autoComplete="current-password" required errors={errors.password} />
      {mfaEnabled ? <Field label="Authentication code" name="code" inputMode="numeric" autoComplete="one-time-code" required errors={errors.code} /> : null}
      <Button type="submit" variant="danger" pending={pending}>
        {pending ? "Deleting…" : "Delete my account"}
      </Button>
    </form>
  );
}
