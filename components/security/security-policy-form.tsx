"use client";

import { startTransition, useActionState, useState } from "react";
import { updateSecurityPolicy } from "@/lib/actions/security/update-security-policy";
import { previewSecurityPolicy } from "@/lib/actions/security/preview-security-policy";
import { idle } from "@/lib/actions/action-state";
import { describePolicy, MFA_POLICIES } from "@/lib/mfa/mfa-policy";
import type { MemberLackingMfa } from "@/lib/security-policy/list-members-lacking-mfa";
import { useStepUpAction } from "@/components/mfa/use-step-up-action";
import { StepUpPrompt } from "@/components/mfa/step-up-prompt";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";

type Policy = { mfa: string; stepUpRequired: boolean; stepUpWindowMinutes: number };
type Preview = { members: MemberLackingMfa[]; total: number };

export function SecurityPolicyForm({ workspace, policy, preview }: { workspace: string; policy: Policy; preview: Preview }) {
  const { state, submit, pending, needsStepUp, stepUp } = useStepUpAction(updateSecurityPolicy);
  const [previewState, askPreview, previewing] = useActionState(previewSecurityPolicy, idle);
  const [chosen, setChosen] = useState(policy.mfa);
  const errors = state.status === "error" ? (state.fieldErrors ?? {}) : {};

  const choose = (value: string) => {
    setChosen(value);
    const form = new FormData();
    form.set("workspace", workspace);
    form.set("mfaPolicy", value);
    startTransition(() => askPreview(form));
  };
  // The server's answer for the latest choice; the page's own for the saved policy until one is chosen.
  const shown = previewState.status === "ok" ? previewState.data : chosen === policy.mfa ? preview : null;

  return (
    <section aria-labelledby="policy-heading" className="space-y-4 rounded-lg border border-zinc-200 bg-white p-6 dark:border-zinc-800 dark:bg-zinc-900">
      <h2 id="policy-heading" className="text-lg font-semibold">
        Multi-factor policy
      </h2>
      {stepUp ? <StepUpPrompt {...stepUp} /> : null}
      <FormAlert tone="success" message={state.status === "ok" ? "Security policy saved." : undefined} />
      <FormAlert message={state.status === "error" && !needsStepUp && !state.fieldErrors ? state.error : undefined} />
      <form
        className="space-y-4"
        noValidate
        onSubmit={(event) => {
          // Submitted by hand rather than through the form's action, so a refused
          // form is not reset and keeps the choices made.
          event.preventDefault();
          const data = new FormData(event.currentTarget);
          startTransition(() => submit(data));
        }}
      >
        <input type="hidden" name="workspace" value={workspace} />
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium">Require MFA for</legend>
          {MFA_POLICIES.map((value) => (
            <label key={value} className="flex items-center gap-2 text-sm">
              <input type="radio" name="mfaPolicy" value={value} checked={chosen === value} onChange={() => choose(value)} />
              {describePolicy[value]}
            </label>
          ))}
          {errors.mfaPolicy ? <p className="text-sm text-red-600 dark:text-red-400">{errors.mfaPolicy[0]}</p> : null}
        </fieldset>
        <EnrollmentPreview preview={shown} pending={previewing} error={previewState.status === "error" ? previewState.error : undefined} />
        <label className="flex items-start gap-2 text-sm">
          <input type="checkbox" name="stepUpRequired" value="on" defaultChecked={policy.stepUpRequired} className="mt-1" />
          Ask for a fresh MFA code before sensitive actions (revoking all sessions, granting owner or admin, removing members, changing this policy, revealing secrets, deleting the workspace)
        </label>
        <Field
          label="A check stays fresh for (minutes)"
          name="stepUpWindowMinutes"
          type="number"
          min={1}
          max={60}
          defaultValue={policy.stepUpWindowMinutes}
          errors={errors.stepUpWindowMinutes}
          className="max-w-xs"
        />
        <Button type="submit" pending={pending}>
          Save policy
        </Button>
      </form>
    </section>
  );
}

/** Who the chosen policy would hold at enrollment, shown before it is saved. */
function EnrollmentPreview({ preview, pending, error }: { preview: Preview | null; pending: boolean; error?: string }) {
  const box = "rounded-md border border-zinc-200 bg-zinc-50 px-3 py-2 text-sm dark:border-zinc-800 dark:bg-zinc-950";
  if (error)
    return (
      <p className={box} role="alert">
        {error}
      </p>
    );
  if (!preview)
    return (
      <p className={box} aria-live="polite">
        Checking who this policy covers…
      </p>
    );
  const more = preview.total - preview.members.length;
  return (
    <div className={box} aria-live="polite" aria-busy={pending} data-testid="policy-preview">
      {preview.total === 0 ? (
        <p>Nobody will have to set up MFA under this policy: everyone it covers already uses it.</p>
      ) : (
        <>
          <p>{preview.total === 1 ? "1 member" : `${preview.total} members`} without MFA will have to set it up before they can use this workspace again:</p>
          <ul className="mt-1 list-disc pl-5">
            {preview.members.map((m) => (
              <li key={m.userId} className="break-words">
                {m.name}{" "}
                <span className="text-zinc-500 dark:text-zinc-400">
                  ({m.email}, {m.role})
                </span>
              </li>
            ))}
            {more > 0 ? <li>and {more} more</li> : null}
          </ul>
        </>
      )}
    </div>
  );
}
