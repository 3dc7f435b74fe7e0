"use client";

import { useActionState } from "react";
import { revokeSession } from "@/lib/actions/account/revoke-session";
import { signOutOtherDevices } from "@/lib/actions/account/sign-out-other-devices";
import { idle } from "@/lib/actions/action-state";
import type { SessionRow } from "@/lib/auth/sessions/list-my-sessions";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { FormAlert } from "@/components/ui/form-alert";
import { LocalTime } from "@/components/ui/local-time";

export function SessionList({ sessions }: { sessions: SessionRow[] }) {
  const [revokeState, revoke, revoking] = useActionState(revokeSession, idle);
  const [othersState, signOutOthers, signingOut] = useActionState(signOutOtherDevices, idle);
  const others = sessions.filter((s) => !s.current).length;
  const message =
    othersState.status === "ok"
      ? `Signed out of ${othersState.data.ended} other ${othersState.data.ended === 1 ? "session" : "sessions"}.`
      : revokeState.status === "ok"
        ? "The session has ended."
        : undefined;
  const error = revokeState.status === "error" ? revokeState.error : othersState.status === "error" ? othersState.error : undefined;

  return (
    <div className="space-y-4">
      <FormAlert message={message} tone="success" />
      <FormAlert message={error} />
      <div className="relative overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Your signed-in sessions</caption>
          <thead className="border-b border-zinc-200 text-xs uppercase text-zinc-500 dark:border-zinc-800">
            <tr>
              <th scope="col" className="px-4 py-2">
                Device
              </th>
              <th scope="col" className="px-4 py-2">
                IP address
              </th>
              <th scope="col" className="px-4 py-2">
                Signed in
              </th>
              <th scope="col" className="px-4 py-2">
                Last active
              </th>
              <th scope="col" className="px-4 py-2">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
            {sessions.map((s) => (
              <tr key={s.id} data-testid="session-row">
                <td className="px-4 py-3">
                  <span className="font-medium">{s.browser}</span> on {s.system}
                  {s.current ? <span className="ml-2 rounded bg-emerald-100 px-1.5 py-0.5 text-xs font-medium text-emerald-800 dark:bg-emerald-900 dark:text-emerald-200">This device</span> : null}
                </td>
                <td className="px-4 py-3 font-mono text-xs">{s.ip ?? "unknown"}</td>
                <td className="px-4 py-3">
                  <LocalTime iso={s.createdAt} />
                </td>
                <td className="px-4 py-3">
                  <LocalTime iso={s.lastSeenAt} />
                </td>
                <td className="px-4 py-3 text-right">
                  {s.current ? null : (
                    <ConfirmDialog trigger="Revoke" title="Revoke this session?" confirmLabel="Revoke session" action={revoke} hidden={{ sessionId: s.id }} pending={revoking}>
                      {s.browser} on {s.system} will be signed out at its next request.
                    </ConfirmDialog>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {others > 0 ? (
        <ConfirmDialog trigger="Sign out of all other devices" title="Sign out everywhere else?" confirmLabel="Sign out other devices" action={signOutOthers} pending={signingOut}>
          This ends {others} other {others === 1 ? "session" : "sessions"}. This device stays signed in.
        </ConfirmDialog>
      ) : (
        <p className="text-sm text-zinc-500">You are signed in on this device only.</p>
      )}
    </div>
  );
}
