"use client";

import { useActionState } from "react";
import { revokeInvitation } from "@/lib/actions/members/revoke-invitation";
import { idle } from "@/lib/actions/action-state";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { FormAlert } from "@/components/ui/form-alert";
import { LocalTime } from "@/components/ui/local-time";

/** suspended: the inviter can no longer grant the role, so the link is refused (lib/members/list-invitations.ts). */
type Invitation = { id: string; email: string; role: string; expiresAt: string; invitedBy: { name: string; email: string } | null; suspended: boolean };

export function PendingInvitations({ workspace, invitations }: { workspace: string; invitations: Invitation[] }) {
  const [state, action, pending] = useActionState(revokeInvitation, idle);
  return (
    <section aria-labelledby="pending-heading" className="space-y-3">
      <h2 id="pending-heading" className="text-lg font-semibold">Pending invitations</h2>
      <FormAlert message={state.status === "error" ? state.error : undefined} />
      {invitations.length === 0 ? (
        <p className="text-sm text-zinc-500">No invitation is waiting.</p>
      ) : (
        <ul className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900">
          {invitations.map((i) => (
            <li key={i.id} className="flex items-center justify-between gap-4 px-4 py-2 text-sm" data-testid="invitation-row">
              <span>
                <span className="font-medium">{i.email}</span> as {i.role}, expires <LocalTime iso={i.expiresAt} />
                {i.invitedBy ? ` · invited by ${i.invitedBy.name}` : ""}
                {i.suspended ? (
                  // Said in words, not by colour or a tooltip: the link is refused, and why.
                  <span className="mt-1 block text-xs text-red-800 dark:text-red-300" data-testid="invitation-suspended">
                    <span className="mr-1.5 rounded-full bg-red-100 px-2 py-0.5 font-medium dark:bg-red-950">Suspended</span>
                    <span className="sr-only">: </span>
                    the person who sent it can no longer grant this role, so the link is refused. Revoke it and send a new invitation if it is still wanted.
                  </span>
                ) : null}
              </span>
              <ConfirmDialog trigger="Revoke" title={`Revoke the invitation for ${i.email}?`} confirmLabel="Revoke invitation" action={action} hidden={{ workspace, invitationId: i.id }} pending={pending}>
                The link stops working at once.
              </ConfirmDialog>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
