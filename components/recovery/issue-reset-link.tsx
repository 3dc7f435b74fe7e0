"use client";

import { useEffect, useId, useImperativeHandle, useRef, useState, type Ref } from "react";
import { issueResetLink } from "@/lib/actions/members/issue-reset-link";
import type { ActionState } from "@/lib/actions/action-state";
import { forgetIssuedLink, rememberIssuedLink, useIssuedLink, type IssuedLink } from "./issued-links";
import { useStepUpAction } from "@/components/mfa/use-step-up-action";
import { StepUpPrompt } from "@/components/mfa/step-up-prompt";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { EmailDeliveryNote } from "@/components/email/email-delivery-note";

const OUTCOME = {
  none: "They have no two-factor authentication, so there was nothing to clear.",
  kept: "Two-factor authentication is not cleared: they still need their authenticator or a recovery code to sign in.",
  cleared: "Two-factor authentication will be cleared when the link is used.",
  cleared_must_enroll:
    "Two-factor authentication will be cleared when the link is used. A workspace requires it of them, so they must set it up again at their next sign-in before they can do anything else.",
} as const;

type Props = {
  workspace: string;
  member: { userId: string; email: string };
  /** Opened from elsewhere (a row's menu) instead of its own button. */
  opener?: Ref<{ open: () => void }>;
};

/**
 * "Reset link" on a member's row: a dialog that says what the link will do
 * (password, sessions, and plainly whether MFA is cleared), then shows the link once.
 */
export function IssueResetLink({ workspace, member, opener }: Props) {
  // The result is kept outside this component, which the table's revalidation may replace.
  const issueAndRemember = async (previous: ActionState<IssuedLink>, form: FormData) => {
    const result = await issueResetLink(previous, form);
    if (result.status === "ok") rememberIssuedLink(member.userId, result.data);
    return result;
  };
  const { state, submit, pending, needsStepUp, stepUp } = useStepUpAction(issueAndRemember);
  const issued = useIssuedLink(member.userId);
  const [clearMfa, setClearMfa] = useState(false);
  const [copied, setCopied] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    if (issued && !dialog.current?.open) dialog.current?.showModal();
  }, [issued]);
  useImperativeHandle(opener, () => ({ open: () => dialog.current?.showModal() }), []);
  const close = () => {
    dialog.current?.close();
    forgetIssuedLink(member.userId);
  };
  return (
    <>
      {opener ? null : (
        <Button type="button" variant="secondary" pending={pending} onClick={() => dialog.current?.showModal()}>
          Reset link
        </Button>
      )}
      <dialog
        ref={dialog}
        aria-labelledby={titleId}
        onClose={() => forgetIssuedLink(member.userId)}
        className="m-auto w-full max-w-md rounded-xl border border-zinc-200 bg-white p-6 text-left text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100"
      >
        <div className="space-y-4">
          <h2 id={titleId} className="text-lg font-semibold">
            Reset link for {member.email}
          </h2>
          {stepUp ? <StepUpPrompt {...stepUp} /> : null}
          <FormAlert message={state.status === "error" && !needsStepUp ? state.error : undefined} />
          {issued ? (
            <div role="status" className="space-y-2 text-sm">
              <p>The link for {issued.email} works once, for one hour; any earlier link no longer works. If you hand it over yourself, do so privately.</p>
              <EmailDeliveryNote delivery={issued.delivery} />
              <div className="flex gap-2">
                <input
                  readOnly
                  value={issued.link}
                  aria-label="Reset link"
                  data-testid="reset-link"
                  className="w-full rounded border border-zinc-300 bg-white px-2 py-1 font-mono text-xs dark:border-zinc-700 dark:bg-zinc-900"
                />
                <Button type="button" variant="secondary" onClick={() => void navigator.clipboard?.writeText(issued.link).then(() => setCopied(true))}>
                  {copied ? "Copied" : "Copy"}
                </Button>
              </div>
              <p data-testid="reset-mfa-outcome">{OUTCOME[issued.mfa]}</p>
              <div className="flex justify-end">
                <Button type="button" variant="secondary" onClick={close}>
                  Done
                </Button>
              </div>
            </div>
          ) : (
            <form
              action={(form) => {
                setCopied(false);
                submit(form);
              }}
              className="space-y-4"
            >
              <input type="hidden" name="workspace" value={workspace} />
              <input type="hidden" name="userId" value={member.userId} />
              <p className="text-sm text-zinc-600 dark:text-zinc-300">The link lets them choose a new password. Using it signs them out of every device. It works once and expires in one hour.</p>
              <label className="flex items-start gap-2 text-sm">
                <input type="checkbox" name="clearMfa" checked={clearMfa} onChange={(e) => setClearMfa(e.target.checked)} className="mt-1" />
                <span>Also clear their two-factor authentication (they lost their authenticator and recovery codes)</span>
              </label>
              <p className="text-sm font-medium" data-testid="reset-mfa-plan">
                {clearMfa
                  ? "MFA will be cleared when the link is used. Where a workspace requires MFA of them, they must set it up again at their next sign-in."
                  : "MFA will not be cleared: if they use it, they still need their authenticator or a recovery code."}
              </p>
              <div className="flex justify-end gap-2">
                <Button type="button" variant="secondary" onClick={() => dialog.current?.close()} autoFocus>
                  Cancel
                </Button>
                <Button type="submit" variant="primary" pending={pending}>
                  Issue reset link
                </Button>
              </div>
            </form>
          )}
        </div>
      </dialog>
    </>
  );
}
