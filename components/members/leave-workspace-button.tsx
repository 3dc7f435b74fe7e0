"use client";

import { useActionState, useEffect, useId } from "react";
import { leaveWorkspace } from "@/lib/actions/members/leave-workspace";
import { idle } from "@/lib/actions/action-state";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { FormAlert } from "@/components/ui/form-alert";

export function LeaveWorkspaceButton({ workspace, name, blockedBecause }: { workspace: string; name: string; blockedBecause: string | null }) {
  const [state, action, pending] = useActionState(leaveWorkspace, idle);
  const reasonId = useId();
  useEffect(() => {
    if (state.status === "ok") window.location.assign("/");
  }, [state]);
  if (blockedBecause) {
    return (
      <div className="space-y-2">
        <Button type="button" variant="danger" disabled aria-describedby={reasonId}>
          Leave workspace
        </Button>
        <p id={reasonId} className="text-sm text-zinc-600 dark:text-zinc-400">
          {blockedBecause}
        </p>
      </div>
    );
  }
  return (
    <div className="space-y-2">
      <FormAlert message={state.status === "error" ? state.error : undefined} />
      <ConfirmDialog trigger="Leave workspace" title={`Leave ${name}?`} confirmLabel="Leave" action={action} hidden={{ workspace }} pending={pending}>
        You lose access at once. To come back you need a new invitation.
      </ConfirmDialog>
    </div>
  );
}
