"use client";

import { useState } from "react";
import { inviteMember } from "@/lib/actions/members/invite-member";
import { ROLES, ROLE_RANK } from "@/lib/authz/capabilities";
import type { Role } from "@/lib/generated/prisma/enums";
import { useStepUpAction } from "@/components/mfa/use-step-up-action";
import { StepUpPrompt } from "@/components/mfa/step-up-prompt";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";
import { EmailDeliveryNote } from "@/components/email/email-delivery-note";

export function InviteForm({ workspace, viewerRole }: { workspace: string; viewerRole: Role }) {
  const { state, submit, pending, needsStepUp, stepUp } = useStepUpAction(inviteMember);
  const [copied, setCopied] = useState(false);
  const errors = state.status === "error" ? (state.fieldErrors ?? {}) : {};
  return (
    <section aria-labelledby="invite-heading" className="space-y-3 rounded-lg border border-zinc-200 bg-white p-6 dark:border-zinc-800 dark:bg-zinc-900">
      <h2 id="invite-heading" className="text-lg font-semibold">
        Invite someone
      </h2>
      {stepUp ? <StepUpPrompt {...stepUp} /> : null}
      <FormAlert message={state.status === "error" && !needsStepUp ? state.error : undefined} />
      {state.status === "ok" ? (
        <div className="space-y-2 rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm dark:border-emerald-800 dark:bg-emerald-950" role="status">
          <p>Invitation created for {state.data.email}. The link works once and expires in 7 days.</p>
          <EmailDeliveryNote delivery={state.data.delivery} />
          <div className="flex gap-2">
            <input
              readOnly
              value={state.data.link}
              aria-label="Invitation link"
              className="w-full rounded border border-zinc-300 bg-white px-2 py-1 font-mono text-xs dark:border-zinc-700 dark:bg-zinc-900"
              data-testid="invite-link"
            />
            <Button type="button" variant="secondary" onClick={() => void navigator.clipboard?.writeText(state.data.link).then(() => setCopied(true))}>
              {copied ? "Copied" : "Copy"}
            </Button>
          </div>
        </div>
      ) : null}
      <form
        action={(form) => {
          setCopied(false);
          submit(form);
        }}
        className="flex flex-wrap items-start gap-3"
        noValidate
      >
        <input type="hidden" name="workspace" value={workspace} />
        <Field label="Email" name="email" type="email" required errors={errors.email} defaultValue={state.status === "error" ? state.values?.email : undefined} className="w-72" />
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium">Role</span>
          <select name="role" defaultValue="viewer" className="rounded-md border border-zinc-300 bg-white px-2 py-2 text-sm dark:border-zinc-700 dark:bg-zinc-900">
            {ROLES.filter((r) => ROLE_RANK[r] <= ROLE_RANK[viewerRole]).map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
          {errors.role ? <span className="text-red-600">{errors.role[0]}</span> : null}
        </label>
        <Button type="submit" pending={pending} className="mt-6">
          Create invitation
        </Button>
      </form>
    </section>
  );
}
