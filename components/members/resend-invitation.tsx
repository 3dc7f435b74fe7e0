"use client";

import { useRef, useState } from "react";
import { resendInvitation } from "@/lib/actions/members/resend-invitation";
import { useStepUpAction } from "@/components/mfa/use-step-up-action";
import { StepUpPrompt } from "@/components/mfa/step-up-prompt";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { LocalTime } from "@/components/ui/local-time";
import { EmailDeliveryNote } from "@/components/email/email-delivery-note";
import { MemberDialog } from "./member-dialog";

/**
 * "Resend" on a pending invitation. Only the token's hash is stored, so the link
 * cannot be shown again: this makes a new one, and the one sent before stops
 * working. The new link is shown once, to copy.
 */
export function ResendInvitation({ workspace, invitation }: { workspace: string; invitation: { id: string; email: string } }) {
  const { state, submit, pending, needsStepUp, stepUp } = useStepUpAction(resendInvitation);
  const [copied, setCopied] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  return (
    <>
      <Button type="button" variant="secondary" pending={pending} onClick={() => dialog.current?.showModal()}>
        Resend
      </Button>
      <MemberDialog
        dialog={dialog}
        tone="primary"
        title={`Send a new link to ${invitation.email}?`}
        confirmLabel="Make a new link"
        hidden={{ workspace, invitationId: invitation.id }}
        onConfirm={(form) => {
          setCopied(false);
          submit(form);
        }}
      >
        The link sent before stops working at once. The new one works once and expires in 7 days; it carries your rights, as if you had sent the invitation.
      </MemberDialog>
      {stepUp ? <StepUpPrompt {...stepUp} /> : null}
      {state.status === "error" && !needsStepUp ? (
        <div className="order-last basis-full">
          <FormAlert message={state.error} />
        </div>
      ) : null}
      {state.status === "ok" ? (
        <div role="status" className="order-last basis-full space-y-2 rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm dark:border-emerald-800 dark:bg-emerald-950">
          <p>
            New link for {state.data.email}, valid until <LocalTime iso={state.data.expiresAt} />. The earlier link no longer works.
          </p>
          <EmailDeliveryNote delivery={state.data.delivery} />
          <div className="flex gap-2">
            <input
              readOnly
              value={state.data.link}
              aria-label={`New invitation link for ${state.data.email}`}
              data-testid="resent-link"
              className="w-full min-w-0 rounded border border-zinc-300 bg-white px-2 py-1 font-mono text-xs dark:border-zinc-700 dark:bg-zinc-900"
            />
            <Button type="button" variant="secondary" onClick={() => void navigator.clipboard?.writeText(state.data.link).then(() => setCopied(true))}>
              {copied ? "Copied" : "Copy"}
            </Button>
          </div>
        </div>
      ) : null}
    </>
  );
}
