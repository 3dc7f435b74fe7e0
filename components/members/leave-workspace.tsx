"use client";

import { useActionState, useEffect } from "react";
import { leaveWorkspace } from "@/lib/actions/members/leave-workspace";
import { idle } from "@/lib/actions/action-state";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { FormAlert } from "@/components/ui/form-alert";

export function LeaveWorkspace({ workspace, name }: { workspace: string; name: string }) {
  const [state, action, pending] = useActionState(leaveWorkspace, idle);
  useEffect(() => {
    if (state.status === "ok") window.location.assign("/");
  }, [state]);
  return (
    <div className="space-y-2">
      <FormAlert message={state.status === "error" ? state.error : undefined} />
      <ConfirmDialog trigger="Leave workspace" title={`Leave ${name}?`} confirmLabel="Leave" action={action} hidden={{ workspace }} pending={pending}>
        You lose access at once. To come back you need a new invitation.
      </ConfirmDialog>
    </div>
  );
}
