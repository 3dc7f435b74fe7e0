"use client";

import { useActionState } from "react";
import { deleteSecret } from "@/lib/actions/secrets/delete-secret";
import { restoreSecret } from "@/lib/actions/secrets/restore-secret";
import { idle, type ActionState } from "@/lib/actions/action-state";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Button } from "@/components/ui/button";
import { announceSecretChange } from "./secret-notice";

type Props = { workspace: string; secret: { id: string; name: string; environment: string } };
type Done = { name: string; environment: string };
type Action = (previous: ActionState<Done>, form: FormData) => Promise<ActionState<Done>>;

/**
 * The answer goes above the table, announced as soon as it arrives: the row
 * that asked is gone once the page refreshes (deleted, or restored out of the
 * Deleted view), so it cannot say it itself.
 */
function told(action: Action, success: (data: Done) => string): Action {
  return async (previous, form) => {
    const result = await action(previous, form);
    if (result.status === "ok") announceSecretChange({ tone: "ok", text: success(result.data) });
    else if (result.status === "error") announceSecretChange({ tone: "error", text: result.error });
    return result;
  };
}

const deleteAndTell = told(deleteSecret, (d) => `Deleted ${d.name} from ${d.environment}. It can be restored from Deleted for 30 days.`);
const restoreAndTell = told(restoreSecret, (d) => `Restored ${d.name} in ${d.environment}.`);

/** Delete, behind a question naming the secret and its environment. */
export function DeleteSecretButton({ workspace, secret }: Props) {
  const [, action, pending] = useActionState(deleteAndTell, idle);
  return (
    <ConfirmDialog trigger="Delete" title={`Delete ${secret.name}?`} confirmLabel={`Delete ${secret.name}`} hidden={{ workspace, secretId: secret.id }} action={action} pending={pending}>
      <p>
        <strong className="font-mono">{secret.name}</strong> in <strong>{secret.environment}</strong> stops resolving for agents at once. It stays restorable, with its versions, for 30 days; then it
        is purged for good.
      </p>
    </ConfirmDialog>
  );
}

export function RestoreSecretButton({ workspace, secret }: Props) {
  const [, action, pending] = useActionState(restoreAndTell, idle);
  return (
    <form action={action}>
      <input type="hidden" name="workspace" value={workspace} />
      <input type="hidden" name="secretId" value={secret.id} />
      <Button type="submit" variant="secondary" pending={pending} aria-label={`Restore ${secret.name} in ${secret.environment}`}>
        Restore
      </Button>
    </form>
  );
}
