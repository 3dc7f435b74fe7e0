"use client";

import Link from "next/link";
import { useActionState, useEffect, useId, useRef, useState } from "react";
import { createSecret } from "@/lib/actions/secrets/create-secret";
import { idle } from "@/lib/actions/action-state";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";

type Props = { workspace: string; environments: { id: string; name: string }[]; defaultEnvironment: string | null };

const input = "block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm shadow-sm aria-invalid:border-red-500 dark:border-zinc-700 dark:bg-zinc-900";

/**
 * A new secret in a modal dialog. The value is typed into a password field that
 * can be shown while typing; after a refusal every other field keeps what was
 * typed, and the value is empty: the server never sends it back.
 */
export function CreateSecretDialog({ workspace, environments, defaultEnvironment }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [state, action, pending] = useActionState(createSecret, idle);
  const [shown, setShown] = useState(false);
  // Each answer remounts the form, so the echoed fields become its defaults and the value starts empty.
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (state.status === "idle") return;
    setShown(false);
    setAttempt((n) => n + 1);
    if (state.status === "ok") dialog.current?.close();
  }, [state]);

  const errors = state.status === "error" ? (state.fieldErrors ?? {}) : {};
  const typed = state.status === "error" ? (state.values ?? {}) : {};
  const environmentDefault = typed.environmentId ?? environments.find((e) => e.name === defaultEnvironment)?.id ?? environments[0]?.id;

  return (
    <>
      <Button type="button" onClick={() => dialog.current?.showModal()}>
        New secret
      </Button>
      {state.status === "ok" ? (
        <p
          role="status"
          data-testid="secret-created"
          className="basis-full rounded-md border border-emerald-300 bg-emerald-50 px-3 py-2 text-sm text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100"
        >
          Created{" "}
          <Link href={`/w/${workspace}/secrets/${state.data.secretId}`} className="font-mono font-medium underline">
            {state.data.name}
          </Link>{" "}
          (version 1).
        </p>
      ) : null}
      <dialog
        ref={dialog}
        aria-labelledby={titleId}
        className="m-auto w-full max-w-lg whitespace-normal rounded-xl border border-zinc-200 bg-white p-6 text-left text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100"
      >
        <form key={attempt} action={action} className="space-y-4" noValidate autoComplete="off">
          <h2 id={titleId} className="text-lg font-semibold">
            New secret
          </h2>
          <FormAlert message={state.status === "error" ? state.error : undefined} />
          <input type="hidden" name="workspace" value={workspace} />
          <div className="space-y-1">
            <label htmlFor="secret-environment" className="block text-sm font-medium">
              Environment
            </label>
            <select id="secret-environment" name="environmentId" defaultValue={environmentDefault} className={input} aria-invalid={errors.environmentId ? true : undefined}>
              {environments.map((e) => (
                <option key={e.id} value={e.id}>
                  {e.name}
                </option>
              ))}
            </select>
            {errors.environmentId ? <p className="text-sm text-red-600 dark:text-red-400">{errors.environmentId[0]}</p> : null}
          </div>
          <Field
            label="Name"
            name="name"
            required
            autoFocus
            spellCheck={false}
            errors={errors.name}
            defaultValue={typed.name}
            hint="Capital letters, digits and underscores, e.g. OPENAI_API_KEY. Agents reference the secret by this name."
          />
          <div className="space-y-1">
            <label htmlFor="secret-value" className="block text-sm font-medium">
              Value
            </label>
            <div className="flex gap-2">
              <input
                id="secret-value"
                name="value"
                type={shown ? "text" : "password"}
                required
                autoComplete="new-password"
                spellCheck={false}
                aria-invalid={errors.value ? true : undefined}
                aria-describedby="secret-value-hint"
                className={`${input} font-mono`}
              />
              <Button type="button" variant="secondary" aria-pressed={shown} aria-controls="secret-value" onClick={() => setShown((s) => !s)}>
                {shown ? "Hide" : "Show"}
              </Button>
            </div>
            <p id="secret-value-hint" className="text-xs text-zinc-500 dark:text-zinc-400">
              Stored encrypted. It is never shown in lists or logs, and never sent back to this form.
            </p>
            {errors.value ? <p className="text-sm text-red-600 dark:text-red-400">{errors.value[0]}</p> : null}
          </div>
          <Field label="Description" name="description" errors={errors.description} defaultValue={typed.description} hint="Optional: what it is for, who issued it." />
          <div className="grid gap-4 sm:grid-cols-2">
            <Field
              label="Rotate every (days)"
              name="rotationIntervalDays"
              type="number"
              min={1}
              max={3650}
              inputMode="numeric"
              errors={errors.rotationIntervalDays}
              defaultValue={typed.rotationIntervalDays}
              hint="Optional"
            />
            <Field label="Expires on" name="expiresOn" type="date" errors={errors.expiresOn} defaultValue={typed.expiresOn} hint="Optional, end of that day (UTC)" />
          </div>
          <div className="flex flex-wrap justify-end gap-2">
            <Button type="button" variant="secondary" onClick={() => dialog.current?.close()}>
              Cancel
            </Button>
            <Button type="submit" pending={pending}>
              Create secret
            </Button>
          </div>
        </form>
      </dialog>
    </>
  );
}
