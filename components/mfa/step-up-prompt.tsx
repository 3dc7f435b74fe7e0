"use client";

import { useActionState, useEffect } from "react";
import { verifyStepUp } from "@/lib/actions/mfa/verify-step-up";
import { idle } from "@/lib/actions/action-state";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

/** Asks for a fresh code when the server refused an action for want of one, then lets it run again. */
export function StepUpPrompt({ message, onVerified }: { message: string; onVerified: () => void }) {
  const [state, action, pending] = useActionState(verifyStepUp, idle);
  useEffect(() => {
    if (state.status === "ok") onVerified();
    // onVerified is a fresh closure each render; the status change is the trigger.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state]);
  return (
    <form action={action} className="max-w-xs space-y-3 rounded-md border border-indigo-300 p-4 dark:border-indigo-800" noValidate>
      <p className="text-sm font-medium" role="status">{message}</p>
      <Field label="Authentication code" name="code" inputMode="numeric" autoComplete="one-time-code" autoFocus errors={state.status === "error" ? state.fieldErrors?.code ?? [state.error] : undefined} />
      <Button type="submit" pending={pending}>Verify and continue</Button>
    </form>
  );
}
