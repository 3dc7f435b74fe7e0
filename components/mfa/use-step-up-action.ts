"use client";

import { startTransition, useActionState } from "react";
import { idle, type ActionState } from "@/lib/actions/action-state";
import { verifyStepUp } from "@/lib/actions/mfa/verify-step-up";
import type { StepUpPromptProps } from "./step-up-prompt";

type Action<T> = (state: ActionState<T>, form: FormData) => Promise<ActionState<T>>;

type Step = { kind: "submit"; form: FormData } | { kind: "verify"; code: FormData } | { kind: "cancel" };

type Flow<T> = {
  /** What the guarded action last answered: what the component shows. */
  result: ActionState<T>;
  /** The submission the server refused for want of a fresh check, until it runs or is cancelled. */
  waiting: FormData | null;
  /** The prompt's own answer (a wrong code stays in the prompt). */
  check: ActionState<unknown>;
};

const start: Flow<never> = { result: idle, waiting: null, check: idle };
const wantsCode = (result: ActionState<unknown>) => result.status === "error" && result.code === "step_up_required";

/**
 * useActionState for an action the server may refuse for want of a fresh MFA
 * check (the check itself is enforced there, by `stepUp: true`). The code and the
 * refused submission are handled by one queued step: the code is verified and the
 * remembered submission is sent once, in the same transition, so the page's
 * refresh after the check (the session cookie rotates) cannot drop it. Steps run
 * one after another, so a second Enter or a late cancel finds nothing waiting and
 * runs nothing.
 */
export function useStepUpAction<T>(action: Action<T>) {
  const [flow, dispatch, pending] = useActionState(async (flow: Flow<T>, step: Step): Promise<Flow<T>> => {
    if (step.kind === "cancel") return { result: idle, waiting: null, check: idle };
    if (step.kind === "submit") {
      const result = await action(flow.result, step.form);
      return { result, waiting: wantsCode(result) ? step.form : null, check: idle };
    }
    if (!flow.waiting) return flow;
    const check = await verifyStepUp(idle, step.code);
    if (check.status !== "ok") return { ...flow, check };
    const result = await action(flow.result, flow.waiting);
    return { result, waiting: wantsCode(result) ? flow.waiting : null, check: idle };
  }, start as Flow<T>);

  const state = flow.result;
  const submit = (form: FormData) => dispatch({ kind: "submit", form });
  const needsStepUp = flow.waiting !== null && state.status === "error";
  const stepUp: StepUpPromptProps | null =
    needsStepUp && state.status === "error"
      ? {
          message: state.error,
          check: flow.check,
          pending,
          onSubmit: (code) => dispatch({ kind: "verify", code }),
          onCancel: () => startTransition(() => dispatch({ kind: "cancel" })),
        }
      : null;
  return { state, submit, pending, needsStepUp, stepUp };
}
