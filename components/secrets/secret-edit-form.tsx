"use client";

import { startTransition, useActionState, useState } from "react";
import { updateSecret } from "@/lib/actions/secrets/update-secret";
import { idle } from "@/lib/actions/action-state";
import { SECRET_DESCRIPTION_MAX } from "@/lib/secrets/schemas";
import type { SecretDetail } from "@/lib/secrets/get-secret-detail";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";

type Props = { workspace: string; secret: Pick<SecretDetail, "id" | "name" | "description" | "rotationIntervalDays" | "expiresAt" | "revision" | "currentVersion"> };

/**
 * Details and, optionally, a new value. The form carries the revision it was
 * rendered with, so the server refuses it if the secret changed meanwhile. The new
 * value lives only in this field: it is cleared once sent, whatever the answer,
 * and the server never sends it back.
 */
export function SecretEditForm({ workspace, secret }: Props) {
  const [state, action, pending] = useActionState(updateSecret, idle);
  const [value, setValue] = useState("");
  const [showValue, setShowValue] = useState(false);
  const errors = state.status === "error" ? (state.fieldErrors ?? {}) : {};

  return (
    <section aria-labelledby="edit-heading" className="space-y-4 rounded-lg border border-zinc-200 bg-white p-6 dark:border-zinc-800 dark:bg-zinc-900">
      <h2 id="edit-heading" className="text-lg font-semibold">
        Edit
      </h2>
      <FormAlert message={state.status === "error" ? state.error : undefined} />
      <FormAlert tone="success" message={state.status === "ok" ? `Saved. The current version is v${state.data.version}.` : undefined} />
      <form
        // A new revision (this save or someone else's, after a reload) starts the fields from what is stored.
        key={secret.revision}
        noValidate
        className="space-y-4"
        onSubmit={(event) => {
          // Submitted by hand so a refused form keeps its details; the value is dropped either way.
          event.preventDefault();
          const data = new FormData(event.currentTarget);
          setValue("");
          setShowValue(false);
          startTransition(() => action(data));
        }}
      >
        <input type="hidden" name="workspace" value={workspace} />
        <input type="hidden" name="secretId" value={secret.id} />
        <input type="hidden" name="revision" value={secret.revision} />
        <Field label="Description" name="description" maxLength={SECRET_DESCRIPTION_MAX} defaultValue={secret.description} errors={errors.description} className="max-w-xl" />
        <div className="flex flex-wrap gap-4">
          <Field
            label="Rotation interval (days)"
            name="rotationIntervalDays"
            type="number"
            min={1}
            max={3650}
            inputMode="numeric"
            defaultValue={secret.rotationIntervalDays ?? ""}
            hint="Empty: no rotation reminder."
            errors={errors.rotationIntervalDays}
            className="w-56"
          />
          <Field
            label="Expires on"
            name="expiresOn"
            type="date"
            defaultValue={secret.expiresAt?.slice(0, 10) ?? ""}
            hint="The value counts as expired after this day (UTC). Empty: never."
            errors={errors.expiresOn}
            className="w-56"
          />
        </div>
        <div className="max-w-xl space-y-1">
          <label htmlFor="field-value" className="block text-sm font-medium">
            New value
          </label>
          <div className="flex gap-2">
            <input
              id="field-value"
              name="value"
              type={showValue ? "text" : "password"}
              value={value}
              onChange={(event) => setValue(event.target.value)}
              autoComplete="off"
              spellCheck={false}
              aria-invalid={errors.value?.length ? true : undefined}
              aria-describedby={errors.value?.length ? "field-value-error field-value-hint" : "field-value-hint"}
              className="block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 font-mono text-sm shadow-sm aria-invalid:border-red-500 dark:border-zinc-700 dark:bg-zinc-900"
            />
            <Button type="button" variant="secondary" aria-pressed={showValue} aria-controls="field-value" onClick={() => setShowValue((s) => !s)}>
              {showValue ? "Hide" : "Show"}
            </Button>
          </div>
          <p id="field-value-hint" className="text-xs text-zinc-500 dark:text-zinc-400">
            Leave empty to keep the current value (v{secret.currentVersion}). A new value becomes v{secret.currentVersion + 1}.
          </p>
          {errors.value?.length ? (
            <p id="field-value-error" className="text-sm text-red-600 dark:text-red-400">
              {errors.value[0]}
            </p>
          ) : null}
        </div>
        <Button type="submit" pending={pending}>
          Save changes
        </Button>
      </form>
    </section>
  );
}
