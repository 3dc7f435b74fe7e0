"use client";

import { useActionState, useEffect, useId, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { createWorkspace } from "@/lib/actions/workspaces/create-workspace";
import { idle } from "@/lib/actions/action-state";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";

/**
 * "Create workspace" under the switcher: a modal form (name, slug, time zone).
 * The person becomes the new workspace's owner and lands in it.
 */
export function CreateWorkspaceDialog() {
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const prefix = useId();
  const [state, formAction, pending] = useActionState(createWorkspace, idle);
  // The browser's zone as the starting value; UTC until it is known.
  const [zone, setZone] = useState("UTC");
  useEffect(() => {
    if (state.status === "ok") {
      dialog.current?.close();
      router.push(`/w/${state.data.slug}`);
    }
  }, [state, router]);
  const errors = state.status === "error" ? (state.fieldErrors ?? {}) : {};
  const values = state.status === "error" ? (state.values ?? {}) : {};
  const id = (name: string) => `${prefix}-${name}`;
  return (
    <>
      <Button
        type="button"
        variant="ghost"
        className="w-full justify-start px-2 py-1 text-xs"
        onClick={() => {
          setZone(Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC");
          dialog.current?.showModal();
        }}
      >
        + Create workspace
      </Button>
      <dialog
        ref={dialog}
        aria-labelledby={titleId}
        className="m-auto w-full max-w-md whitespace-normal rounded-xl border border-zinc-200 bg-white p-6 text-left text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100"
      >
        <form action={formAction} className="space-y-4" noValidate>
          <h2 id={titleId} className="text-lg font-semibold">
            Create a workspace
          </h2>
          <p className="text-sm text-zinc-600 dark:text-zinc-300">You become its owner. Invite others from its Members page.</p>
          <FormAlert message={state.status === "error" && !state.fieldErrors ? state.error : undefined} />
          <Field label="Name" id={id("name")} name="name" required maxLength={100} defaultValue={values.name} errors={errors.name} autoComplete="off" />
          <Field
            label="Slug"
            id={id("slug")}
            name="slug"
            required
            maxLength={48}
            defaultValue={values.slug}
            errors={errors.slug}
            hint="Its address: /w/<slug>. Lowercase letters, digits and dashes."
            autoComplete="off"
            spellCheck={false}
          />
          <Field
            label="Time zone"
            id={id("timeZone")}
            name="timeZone"
            required
            defaultValue={values.timeZone ?? zone}
            key={values.timeZone ?? zone}
            errors={errors.timeZone}
            hint="An IANA zone such as Europe/Paris or UTC: the agents' day and the default for budgets."
            autoComplete="off"
            spellCheck={false}
          />
          <div className="flex flex-wrap justify-end gap-2">
            <Button type="button" variant="secondary" onClick={() => dialog.current?.close()}>
              Cancel
            </Button>
            <Button type="submit" pending={pending}>
              Create workspace
            </Button>
          </div>
        </form>
      </dialog>
    </>
  );
}
