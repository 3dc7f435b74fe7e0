"use client";

import { useId, useState, type RefObject } from "react";
import type { Role } from "@/lib/generated/prisma/enums";
import { Button } from "@/components/ui/button";
import { withArticle } from "./role-words";

type Props = {
  dialog: RefObject<HTMLDialogElement | null>;
  workspace: string;
  member: { userId: string; name: string; role: Role };
  roles: readonly Role[];
  onConfirm: (form: FormData) => void;
};

/**
 * Change role in two steps: pick the role, then confirm a question that names
 * the person and the role ("Make Dave Viewer an admin?"). The pick is its own
 * form, so Enter on a role moves on to the question and never changes anything.
 */
export function ChangeRoleDialog({ dialog, workspace, member, roles, onConfirm }: Props) {
  const [role, setRole] = useState<Role>(member.role);
  const [confirming, setConfirming] = useState(false);
  const titleId = useId();
  const reset = () => {
    setRole(member.role);
    setConfirming(false);
  };
  return (
    <dialog
      ref={dialog}
      aria-labelledby={titleId}
      onClose={reset}
      className="m-auto w-full max-w-md whitespace-normal rounded-xl border border-zinc-200 bg-white p-6 text-left text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100"
    >
      {confirming ? (
        <form
          action={(form) => {
            dialog.current?.close();
            onConfirm(form);
          }}
          className="space-y-4"
        >
          <h2 id={titleId} className="text-lg font-semibold">
            Make {member.name} {withArticle(role)}?
          </h2>
          <p className="text-sm text-zinc-600 dark:text-zinc-300">They are {withArticle(member.role)} now. The new role applies from their next request; the Roles page lists what each role may do.</p>
          <input type="hidden" name="workspace" value={workspace} />
          <input type="hidden" name="userId" value={member.userId} />
          <input type="hidden" name="expectedRole" value={member.role} />
          <input type="hidden" name="role" value={role} />
          <div className="flex flex-wrap justify-end gap-2">
            <Button type="button" variant="secondary" onClick={() => setConfirming(false)}>
              Back
            </Button>
            <Button type="submit" autoFocus>
              Make {role}
            </Button>
          </div>
        </form>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (role !== member.role) setConfirming(true);
          }}
          className="space-y-4"
        >
          <h2 id={titleId} className="text-lg font-semibold">
            Change role for {member.name}
          </h2>
          <fieldset className="space-y-1">
            <legend className="mb-2 text-sm text-zinc-600 dark:text-zinc-300">New role</legend>
            {roles.map((r) => (
              <label key={r} className="flex items-center gap-2 rounded-md px-2 py-1 text-sm hover:bg-zinc-50 dark:hover:bg-zinc-800">
                <input type="radio" name="pick" value={r} checked={role === r} onChange={() => setRole(r)} autoFocus={r === role} />
                <span className="capitalize">{r}</span>
                {r === member.role ? <span className="text-xs text-zinc-500">(current)</span> : null}
              </label>
            ))}
          </fieldset>
          <div className="flex flex-wrap justify-end gap-2">
            <Button type="button" variant="secondary" onClick={() => dialog.current?.close()}>
              Cancel
            </Button>
            <Button type="submit" disabled={role === member.role}>
              Continue
            </Button>
          </div>
        </form>
      )}
    </dialog>
  );
}
