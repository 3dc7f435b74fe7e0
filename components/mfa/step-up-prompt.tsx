"use client";

import { useEffect, useId, useRef } from "react";
import { createPortal } from "react-dom";
import type { ActionState } from "@/lib/actions/action-state";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

export type StepUpPromptProps = {
  message: string;
  check: ActionState<unknown>;
  pending: boolean;
  onSubmit: (code: FormData) => void;
  onCancel: () => void;
};

/**
 * Asks for a fresh code when the server refused an action for want of one (see
 * useStepUpAction, which then sends the action again). A modal on the page's body,
 * not inside the control that asked: a table cell or a closed menu can neither
 * clip it nor hide it. The code field has focus, Enter verifies, Escape cancels.
 */
export function StepUpPrompt({ message, check, pending, onSubmit, onCancel }: StepUpPromptProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const codeId = useId();
  const focusCode = () => document.getElementById(codeId)?.focus();

  useEffect(() => {
    // Focus goes back where it was (the control that asked) once the prompt is gone.
    const before = document.activeElement;
    return () => {
      if (before instanceof HTMLElement && before.isConnected) before.focus();
    };
  }, []);

  useEffect(() => {
    if (!dialog.current?.open) dialog.current?.showModal();
    focusCode();
    // A wrong code: the field is empty again and takes the next try.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [check]);

  if (typeof document === "undefined") return null;
  const errors = check.status === "error" ? (check.fieldErrors?.code ?? [check.error]) : undefined;
  return createPortal(
    <dialog
      ref={dialog}
      aria-labelledby={titleId}
      // Escape while the code is being checked would not stop the action it releases.
      onCancel={(event) => {
        event.preventDefault();
        if (!pending) onCancel();
      }}
      className="m-auto w-full max-w-sm rounded-xl border border-zinc-200 bg-white p-6 text-left text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100"
    >
      <form action={onSubmit} className="space-y-4" noValidate>
        <h2 id={titleId} className="text-lg font-semibold">
          Fresh MFA check
        </h2>
        <p className="text-sm" role="status">
          {message}
        </p>
        <Field id={codeId} label="Authentication code" name="code" inputMode="numeric" autoComplete="one-time-code" required errors={errors} />
        <div className="flex justify-end gap-2">
          <Button type="button" variant="secondary" disabled={pending} onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" pending={pending}>
            Verify and continue
          </Button>
        </div>
      </form>
    </dialog>,
    document.body,
  );
}
