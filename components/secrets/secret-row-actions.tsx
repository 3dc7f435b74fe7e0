"use client";

import { startTransition, useActionState, useEffect } from "react";
import { deleteSecret } from "@/lib/actions/secrets/delete-secret";
import { restoreSecret } from "@/lib/actions/secrets/restore-secret";
import { idle } from "@/lib/actions/action-state";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Button } from "@/components/ui/button";
import { announceSecretChange } from "./secret-notice";

type Props = { workspace: string; secret: { id: string; name: string; environment: string } };

/** Delete, behind a question naming the secret and its environment. */
export function DeleteSecretButton({ workspace, secret }: Props) {
  const [state, action, pending] = useActionState(deleteSecret, idle);
  useEffect(() => {
    if (state.status === "ok") announceSecretChange({ tone: "ok", text: `Deleted ${state.data.name} from ${state.data.environment}. It can be restored from Deleted for 30 days.` });
    if (state.status === "error") announceSecretChange({ tone: "error", text: state.error });
  }, [state]);
  return (
    <ConfirmDialog
      trigger="Delete"
      title={`Delete ${secret.name}?`}
      confirmLabel={`Delete ${secret.name}`}
      hidden={{ workspace, secretId: secret.id }}
      action={(form) => startTransition(() => action(form))}
      pending={pending}
    >
      <p>
        <strong className="font-mono">{secret.name}</strong> in <strong>{secret.environment}</strong> stops resolving for agents at once.
        It stays restorable, with its versions, for 30 days; then it is purged for good.
      </p>
    </ConfirmDialog>
  );
}

export function RestoreSecretButton({ workspace, secret }: Props) {
  const [state, action, pending] = useActionState(restoreSecret, idle);
  useEffect(() => {
    if (state.status === "ok") announceSecretChange({ tone: "ok", text: `Restored ${state.data.name} in ${state.data.environment}.` });
    if (state.status === "error") announceSecretChange({ tone: "error", text: state.error });
  }, [state]);
  return (
    <form action={action}>
      <input type="hidden" name="workspace" value={workspace} />
      <input type="hidden" name="secretId" value={secret.id} />
      <Button type="submit" variant="secondary" pending={pending} aria-label={`Restore ${secret.name} in ${secret.environment}`}>Restore</Button>
    </form>
  );
}
