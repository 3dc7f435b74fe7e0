"use client";

import { useActionState } from "react";
import { revokeInvitation } from "@/lib/actions/members/revoke-invitation";
import { idle } from "@/lib/actions/action-state";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { FormAlert } from "@/components/ui/form-alert";
import { LocalTime } from "@/components/ui/local-time";
import { ResendInvitation } from "./resend-invitation";

/** suspended: the inviter can no longer grant the role, so the link is refused (lib/members/list-invitations.ts). */
type Invitation = { id: string; email: string; role: string; expiresAt: string; invitedBy: { name: string; email: string } | null; suspended: boolean };

export function PendingInvitations({ workspace, invitations }: { workspace: string; invitations: Invitation[] }) {
  const [state, action, pending] = useActionState(revokeInvitation, idle);
  return (
    <section aria-labelledby="pending-heading" className="space-y-3">
      <h2 id="pending-heading" className="text-lg font-semibold">
        Pending invitations
      </h2>
      <FormAlert message={state.status === "error" ? state.error : undefined} />
      {invitations.length === 0 ? (
        <p className="text-sm text-zinc-500">No invitation is waiting.</p>
      ) : (
        <ul className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900">
          {invitations.map((i) => (
            <li key={i.id} className="flex flex-wrap items-center gap-x-3 gap-y-2 px-4 py-2 text-sm" data-testid="invitation-row">
              <span className="min-w-0 flex-1 basis-64">
                <span className="block truncate">
                  <span className="font-medium">{i.email}</span> as {i.role}
                </span>
                <span className="block text-xs text-zinc-600 dark:text-zinc-400" data-testid="invitation-meta">
                  {i.invitedBy ? (
                    <>
                      Invited by {i.invitedBy.name} ({i.invitedBy.email})
                    </>
                  ) : (
                    "Invited by a former member"
                  )}{" "}
                  · expires <LocalTime iso={i.expiresAt} />
                </span>
                {i.suspended ? (
                  // Said in words, not by colour or a tooltip: the link is refused, and why.
                  <span className="mt-1 block text-xs text-red-800 dark:text-red-300" data-testid="invitation-suspended">
                    <span className="mr-1.5 rounded-full bg-red-100 px-2 py-0.5 font-medium dark:bg-red-950">Suspended</span>
                    <span className="sr-only">: </span>
                    the person who sent it can no longer grant this role, so the link is refused. Resend it for a link that carries your rights, or revoke it.
                  </span>
                ) : null}
              </span>
              <ResendInvitation workspace={workspace} invitation={i} />
              <ConfirmDialog
                trigger="Revoke"
                title={`Revoke the invitation for ${i.email}?`}
                confirmLabel="Revoke invitation"
                action={action}
                hidden={{ workspace, invitationId: i.id }}
                pending={pending}
              >
                The link stops working at once.
              </ConfirmDialog>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
