"use client";

import { createContext, useActionState, useContext, type ReactNode } from "react";
import { revokeApiKey } from "@/lib/actions/api-keys/revoke-api-key";
import { idle } from "@/lib/actions/action-state";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { FormAlert } from "@/components/ui/form-alert";

type Revoke = { action: (formData: FormData) => void; pending: boolean };
const RevokeContext = createContext<Revoke | null>(null);

/** One revocation at a time for the whole list, and its outcome above the table. */
export function RevokeApiKeyFeedback({ children }: { children: ReactNode }) {
  const [state, action, pending] = useActionState(revokeApiKey, idle);
  return (
    <RevokeContext value={{ action, pending }}>
      <FormAlert message={state.status === "error" ? state.error : undefined} />
      <FormAlert tone="success" message={state.status === "ok" ? `The key “${state.data.name}” (${state.data.prefix}…) is revoked.` : undefined} />
      {children}
    </RevokeContext>
  );
}

export function RevokeApiKeyButton({ workspace, apiKeyId, name, prefix }: { workspace: string; apiKeyId: string; name: string; prefix: string }) {
  const revoke = useContext(RevokeContext);
  if (!revoke) throw new Error("RevokeApiKeyButton outside RevokeApiKeyFeedback");
  return (
    <ConfirmDialog trigger="Revoke" title={`Revoke the key “${name}”?`} confirmLabel="Revoke key" action={revoke.action} hidden={{ workspace, apiKeyId }} pending={revoke.pending}>
      Anything using {prefix}… is refused from its next request. A revoked key cannot be restored.
    </ConfirmDialog>
  );
}
