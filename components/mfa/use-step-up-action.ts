"use client";

import { startTransition, useActionState, useRef } from "react";
import type { ActionState } from "@/lib/actions/action-state";

/**
 * useActionState for an action that may be refused for want of a fresh MFA check:
 * remembers the last submission so it can be sent again once the check passes.
 */
export function useStepUpAction<T>(action: (state: ActionState<T>, form: FormData) => Promise<ActionState<T>>) {
  const [state, dispatch, pending] = useActionState(action, { status: "idle" } as ActionState<T>);
  const last = useRef<FormData | null>(null);
  const submit = (form: FormData) => {
    last.current = form;
    dispatch(form);
  };
  const retry = () => {
    if (last.current) startTransition(() => dispatch(last.current!));
  };
  const needsStepUp = state.status === "error" && state.code === "step_up_required";
  return { state, submit, pending, needsStepUp, retry };
}
