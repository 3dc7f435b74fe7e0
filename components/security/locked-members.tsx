"use client";

import { useActionState } from "react";
import { unlockMember } from "@/lib/actions/security/unlock-member";
import { idle } from "@/lib/actions/action-state";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { LocalTime } from "@/components/ui/local-time";

type Locked = { userId: string; email: string; name: string; lockedUntil: string };

export function LockedMembers({ workspace, locked }: { workspace: string; locked: Locked[] }) {
  const [state, action, pending] = useActionState(unlockMember, idle);
  return (
    <section aria-labelledby="locked-heading" className="space-y-3 rounded-lg border border-zinc-200 bg-white p-6 dark:border-zinc-800 dark:bg-zinc-900">
      <h2 id="locked-heading" className="text-lg font-semibold">
        Locked accounts
      </h2>
      <FormAlert tone="success" message={state.status === "ok" ? `${state.data.email} can sign in again.` : undefined} />
      <FormAlert message={state.status === "error" ? state.error : undefined} />
      {locked.length === 0 ? (
        <p className="text-sm text-zinc-500">No member is locked out. Accounts lock after repeated failed sign-ins.</p>
      ) : (
        <ul className="divide-y divide-zinc-200 dark:divide-zinc-800">
          {locked.map((m) => (
            <li key={m.userId} className="flex items-center justify-between gap-4 py-2 text-sm">
              <span>
                <span className="font-medium">{m.name}</span> ({m.email}), locked until <LocalTime iso={m.lockedUntil} />
              </span>
              <form action={action}>
                <input type="hidden" name="workspace" value={workspace} />
                <input type="hidden" name="userId" value={m.userId} />
                <Button type="submit" variant="secondary" pending={pending}>
                  Unlock
                </Button>
              </form>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
