"use client";

import { revokeAllSessions } from "@/lib/actions/security/revoke-all-sessions";
import { useStepUpAction } from "@/components/mfa/use-step-up-action";
import { StepUpPrompt } from "@/components/mfa/step-up-prompt";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { FormAlert } from "@/components/ui/form-alert";

export function RevokeAllSessions({ workspace, preview }: { workspace: string; preview: { sessions: number; members: number } }) {
  const { state, submit, pending, needsStepUp, stepUp } = useStepUpAction(revokeAllSessions);
  return (
    <section aria-labelledby="revoke-all-heading" className="space-y-3 rounded-lg border border-red-200 bg-white p-6 dark:border-red-900 dark:bg-zinc-900">
      <h2 id="revoke-all-heading" className="text-lg font-semibold">
        Revoke all sessions
      </h2>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        After a credential leak or a departure: sign every member of this workspace out of every device. Each must sign in again; your current session stays.
      </p>
      <FormAlert
        tone="success"
        message={
          state.status === "ok"
            ? `Ended ${state.data.sessionsEnded} ${state.data.sessionsEnded === 1 ? "session" : "sessions"} of ${state.data.membersAffected} ${state.data.membersAffected === 1 ? "member" : "members"}.`
            : undefined
        }
      />
      {stepUp ? <StepUpPrompt {...stepUp} /> : null}
      <FormAlert message={state.status === "error" && !needsStepUp ? state.error : undefined} />
      <ConfirmDialog trigger="Revoke all sessions" title="Revoke all sessions?" confirmLabel="Sign everyone out" action={submit} hidden={{ workspace }} pending={pending}>
        This ends <strong data-testid="preview-sessions">{preview.sessions}</strong> {preview.sessions === 1 ? "session" : "sessions"} of{" "}
        <strong data-testid="preview-members">{preview.members}</strong> {preview.members === 1 ? "member" : "members"}, on every device, at their next request.
      </ConfirmDialog>
    </section>
  );
}
