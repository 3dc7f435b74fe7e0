"use client";

import { updateSecurityPolicy } from "@/lib/actions/security/update-security-policy";
import { describePolicy, MFA_POLICIES } from "@/lib/mfa/mfa-policy";
import { useStepUpAction } from "@/components/mfa/use-step-up-action";
import { StepUpPrompt } from "@/components/mfa/step-up-prompt";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";

type Policy = { mfa: string; stepUpRequired: boolean; stepUpWindowMinutes: number };

export function SecurityPolicyForm({ workspace, policy }: { workspace: string; policy: Policy }) {
  const { state, submit, pending, needsStepUp, stepUp } = useStepUpAction(updateSecurityPolicy);
  const errors = state.status === "error" ? state.fieldErrors ?? {} : {};
  return (
    <section aria-labelledby="policy-heading" className="space-y-4 rounded-lg border border-zinc-200 bg-white p-6 dark:border-zinc-800 dark:bg-zinc-900">
      <h2 id="policy-heading" className="text-lg font-semibold">Multi-factor policy</h2>
      {stepUp ? <StepUpPrompt {...stepUp} /> : null}
      <FormAlert tone="success" message={state.status === "ok" ? "Security policy saved." : undefined} />
      <FormAlert message={state.status === "error" && !needsStepUp && !state.fieldErrors ? state.error : undefined} />
      <form action={submit} className="space-y-4" noValidate>
        <input type="hidden" name="workspace" value={workspace} />
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium">Require MFA for</legend>
          {MFA_POLICIES.map((value) => (
            <label key={value} className="flex items-center gap-2 text-sm">
              <input type="radio" name="mfaPolicy" value={value} defaultChecked={policy.mfa === value} />
              {describePolicy[value]}
            </label>
          ))}
          {errors.mfaPolicy ? <p className="text-sm text-red-600">{errors.mfaPolicy[0]}</p> : null}
        </fieldset>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="stepUpRequired" value="on" defaultChecked={policy.stepUpRequired} />
          Ask for a fresh MFA code before sensitive actions (revoking all sessions, granting owner or admin, removing members, changing this policy, revealing secrets, deleting the workspace)
        </label>
        <Field label="A check stays fresh for (minutes)" name="stepUpWindowMinutes" type="number" min={1} max={60} defaultValue={policy.stepUpWindowMinutes} errors={errors.stepUpWindowMinutes} className="max-w-xs" />
        <Button type="submit" pending={pending}>Save policy</Button>
      </form>
    </section>
  );
}
