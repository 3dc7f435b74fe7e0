"use client";

import { startTransition, useId } from "react";
import type { ActionState } from "@/lib/actions/action-state";
import { useStepUpAction } from "@/components/mfa/use-step-up-action";
import { StepUpPrompt } from "@/components/mfa/step-up-prompt";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";

type Action<T> = (state: ActionState<T>, form: FormData) => Promise<ActionState<T>>;

/**
 * One section of the Settings page: its own form, its own field errors, a notice
 * once saved. Submitted by hand rather than through the form's action, so a
 * refused form is not reset and keeps what was typed. A fresh MFA check, when the
 * server asks for one, is prompted for and the form sent again.
 */
export function SettingsSection<T>({
  title,
  workspace,
  action,
  saved,
  submitLabel,
  children,
}: {
  title: string;
  workspace: string;
  action: Action<T>;
  /** The notice once the server answered ok. */
  saved: (data: T) => string;
  submitLabel: string;
  children: (errors: Record<string, string[] | undefined>, fieldId: (name: string) => string) => React.ReactNode;
}) {
  const headingId = useId();
  const prefix = useId();
  const { state, submit, pending, needsStepUp, stepUp } = useStepUpAction(action);
  const errors = state.status === "error" ? (state.fieldErrors ?? {}) : {};
  return (
    <section aria-labelledby={headingId} className="space-y-4 rounded-lg border border-zinc-200 bg-white p-6 dark:border-zinc-800 dark:bg-zinc-900">
      <h2 id={headingId} className="text-lg font-semibold">
        {title}
      </h2>
      {stepUp ? <StepUpPrompt {...stepUp} /> : null}
      <FormAlert tone="success" message={state.status === "ok" ? saved(state.data) : undefined} />
      <FormAlert message={state.status === "error" && !needsStepUp && !state.fieldErrors ? state.error : undefined} />
      <form
        className="space-y-4"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const data = new FormData(event.currentTarget);
          startTransition(() => submit(data));
        }}
      >
        <input type="hidden" name="workspace" value={workspace} />
        {children(errors, (name) => `${prefix}-${name}`)}
        <Button type="submit" pending={pending}>
          {submitLabel}
        </Button>
      </form>
    </section>
  );
}
