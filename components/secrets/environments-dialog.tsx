"use client";

import { useActionState, useEffect, useId, useRef, useState } from "react";
import { createEnvironment } from "@/lib/actions/environments/create-environment";
import { renameEnvironment } from "@/lib/actions/environments/rename-environment";
import { idle } from "@/lib/actions/action-state";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import type { EnvironmentRow } from "@/lib/secrets/list-environments";

const input = "block w-44 rounded-md border border-zinc-300 bg-white px-2 py-1.5 font-mono text-sm aria-invalid:border-red-500 dark:border-zinc-700 dark:bg-zinc-900";

/** Owners and admins add and rename environments; each environment's secrets follow a rename. */
export function EnvironmentsDialog({ workspace, environments }: { workspace: string; environments: EnvironmentRow[] }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  return (
    <>
      <Button type="button" variant="secondary" onClick={() => dialog.current?.showModal()}>
        Environments
      </Button>
      <dialog
        ref={dialog}
        aria-labelledby={titleId}
        className="m-auto w-full max-w-lg whitespace-normal rounded-xl border border-zinc-200 bg-white p-6 text-left text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100"
      >
        <div className="space-y-4">
          <h2 id={titleId} className="text-lg font-semibold">
            Environments
          </h2>
          <p className="text-sm text-zinc-600 dark:text-zinc-300">
            Lowercase letters, digits and hyphens. Runtime callers name the environment in each request: after a rename, they must use the new name.
          </p>
          <ul className="space-y-2">
            {environments.map((e) => (
              <RenameRow key={`${e.id}-${e.name}`} workspace={workspace} environment={e} />
            ))}
          </ul>
          <AddEnvironment workspace={workspace} />
          <div className="flex justify-end">
            <Button type="button" variant="secondary" onClick={() => dialog.current?.close()}>
              Close
            </Button>
          </div>
        </div>
      </dialog>
    </>
  );
}

function RenameRow({ workspace, environment }: { workspace: string; environment: EnvironmentRow }) {
  const [state, action, pending] = useActionState(renameEnvironment, idle);
  const errorId = `env-${environment.id}-error`;
  const error = state.status === "error" ? (state.fieldErrors?.name?.[0] ?? state.error) : undefined;
  return (
    <li>
      <form action={action} className="flex flex-wrap items-center gap-2" noValidate>
        <input type="hidden" name="workspace" value={workspace} />
        <input type="hidden" name="environmentId" value={environment.id} />
        <input
          name="name"
          defaultValue={state.status === "error" ? (state.values?.name ?? environment.name) : environment.name}
          aria-label={`New name for ${environment.name}`}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          className={input}
          spellCheck={false}
        />
        <Button type="submit" variant="secondary" pending={pending}>
          Rename
        </Button>
        <span className="text-xs text-zinc-500">
          {environment.liveSecrets} secret{environment.liveSecrets === 1 ? "" : "s"}
        </span>
        {error ? (
          <p id={errorId} role="alert" className="basis-full text-sm text-red-600 dark:text-red-400">
            {error}
          </p>
        ) : null}
      </form>
    </li>
  );
}

function AddEnvironment({ workspace }: { workspace: string }) {
  const [state, action, pending] = useActionState(createEnvironment, idle);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (state.status !== "idle") setAttempt((n) => n + 1);
  }, [state]);
  const error = state.status === "error" ? (state.fieldErrors?.name?.[0] ?? state.error) : undefined;
  return (
    <form key={attempt} action={action} className="space-y-2 border-t border-zinc-200 pt-4 dark:border-zinc-800" noValidate>
      <input type="hidden" name="workspace" value={workspace} />
      <label htmlFor="new-environment" className="block text-sm font-medium">
        Add an environment
      </label>
      <div className="flex gap-2">
        <input
          id="new-environment"
          name="name"
          placeholder="qa-eu"
          spellCheck={false}
          defaultValue={state.status === "error" ? state.values?.name : undefined}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "new-environment-error" : undefined}
          className={input}
        />
        <Button type="submit" pending={pending}>
          Add
        </Button>
      </div>
      {error ? (
        <p id="new-environment-error" role="alert" className="text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      ) : null}
      <FormAlert tone="success" message={state.status === "ok" ? `Added ${state.data.name}.` : undefined} />
    </form>
  );
}
