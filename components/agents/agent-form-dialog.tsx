"use client";

import { useActionState, useEffect, useId, useRef } from "react";
import type { ActionState } from "@/lib/actions/action-state";
import { idle } from "@/lib/actions/action-state";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";

/**
 * A modal form for one agent action: it stays open with the field errors after a
 * refusal and closes once the server answers ok. The fields are the caller's,
 * given the errors and the values to echo.
 */
export function AgentFormDialog<R>({
  trigger,
  title,
  action,
  submitLabel,
  hidden,
  variant = "secondary",
  children,
}: {
  trigger: string;
  title: string;
  action: (state: ActionState<R>, form: FormData) => Promise<ActionState<R>>;
  submitLabel: string;
  hidden: Record<string, string>;
  variant?: "primary" | "secondary";
  /** `fieldId(name)`: an id unique to this dialog, so each label and error belongs to its own field (a page has many of these forms). */
  children: (errors: Record<string, string[] | undefined>, values: Record<string, string>, fieldId: (name: string) => string) => React.ReactNode;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const fieldPrefix = useId();
  const [state, formAction, pending] = useActionState(action, idle as ActionState<R>);
  useEffect(() => {
    if (state.status === "ok") dialog.current?.close();
  }, [state]);
  const errors = state.status === "error" ? (state.fieldErrors ?? {}) : {};
  const values = state.status === "error" ? (state.values ?? {}) : {};
  return (
    <>
      <Button type="button" variant={variant} onClick={() => dialog.current?.showModal()}>
        {trigger}
      </Button>
      <dialog
        ref={dialog}
        aria-labelledby={titleId}
        className="m-auto w-full max-w-md whitespace-normal rounded-xl border border-zinc-200 bg-white p-6 text-left text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100"
      >
        <form action={formAction} className="space-y-4" noValidate>
          <h2 id={titleId} className="text-lg font-semibold">
            {title}
          </h2>
          <FormAlert message={state.status === "error" ? state.error : undefined} />
          {Object.entries(hidden).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          {children(errors, values, (name) => `${fieldPrefix}-${name}`)}
          <div className="flex flex-wrap justify-end gap-2">
            <Button type="button" variant="secondary" onClick={() => dialog.current?.close()}>
              Cancel
            </Button>
            <Button type="submit" pending={pending}>
              {submitLabel}
            </Button>
          </div>
        </form>
      </dialog>
    </>
  );
}
