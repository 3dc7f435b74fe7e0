"use client";

import { startTransition, useEffect, useId, useRef, useState } from "react";
import Link from "next/link";
import { deleteWorkspace } from "@/lib/actions/workspaces/delete-workspace";
import type { DeletionReceipt } from "@/lib/workspaces/delete-workspace";
import { useStepUpAction } from "@/components/mfa/use-step-up-action";
import { StepUpPrompt } from "@/components/mfa/step-up-prompt";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";

/** Saves the receipt the server returned as a JSON file, from memory: it is not kept anywhere the browser could fetch it again. */
function downloadReceipt(receipt: DeletionReceipt, slug: string) {
  const blob = new Blob([`${JSON.stringify(receipt, null, 2)}\n`], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = `warden-deletion-receipt-${slug}-${receipt.deleted_at.slice(0, 10)}.json`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * Settings → Delete workspace (owners only: the page shows it to them alone, the
 * server refuses anyone else). The name is typed in a dialog, a fresh MFA check is
 * asked for whatever the workspace's step-up setting, and the receipt the deletion
 * returns is downloaded before the browser leaves for the person's next workspace.
 */
export function DeleteWorkspaceSection({ workspace, name, mfaEnabled }: { workspace: string; name: string; mfaEnabled: boolean }) {
  const headingId = useId();
  const titleId = useId();
  const fieldId = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const [typed, setTyped] = useState("");
  const { state, submit, pending, needsStepUp, stepUp } = useStepUpAction(deleteWorkspace);
  const done = state.status === "ok" ? (state.data as DeletionReceipt) : null;
  const nameError = state.status === "error" ? state.fieldErrors?.confirmName : undefined;

  useEffect(() => {
    if (!done) return;
    downloadReceipt(done, workspace);
    // The download starts from this page; then on to a workspace the person still has (or the account page).
    const timer = setTimeout(() => window.location.assign("/"), 1500);
    return () => clearTimeout(timer);
  }, [done, workspace]);

  useEffect(() => {
    if (nameError) dialog.current?.showModal();
  }, [nameError]);

  return (
    <section aria-labelledby={headingId} className="space-y-4 rounded-lg border border-red-300 bg-white p-6 dark:border-red-900 dark:bg-zinc-900">
      <h2 id={headingId} className="text-lg font-semibold text-red-700 dark:text-red-400">
        Delete workspace
      </h2>
      <p className="text-sm text-zinc-600 dark:text-zinc-300">
        Removes this workspace and everything in it for good: members and invitations, API keys, secrets and every version, agents, usage and spend, and the audit log. Nothing can be restored. You
        download a receipt (the workspace&apos;s id, a hash of its name, the rows removed per table and the audit log&apos;s final hash); Warden keeps a copy.
      </p>
      {stepUp ? <StepUpPrompt {...stepUp} /> : null}
      {done ? <FormAlert tone="success" message="The workspace is deleted. Your receipt is downloading; taking you to your workspaces…" /> : null}
      <FormAlert message={state.status === "error" && !needsStepUp && !state.fieldErrors ? state.error : undefined} />
      {mfaEnabled ? null : (
        <p className="text-sm" role="note">
          Deleting a workspace needs a fresh check with two-factor authentication.{" "}
          <Link className="underline" href="/account/security">
            Set it up under Account → Security
          </Link>{" "}
          first.
        </p>
      )}
      <Button type="button" variant="danger" disabled={!mfaEnabled || Boolean(done)} pending={pending} onClick={() => dialog.current?.showModal()}>
        Delete workspace…
      </Button>
      <dialog
        ref={dialog}
        aria-labelledby={titleId}
        className="m-auto w-full max-w-md whitespace-normal rounded-xl border border-zinc-200 bg-white p-6 text-left text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100"
      >
        <form
          className="space-y-4"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            const data = new FormData(event.currentTarget);
            dialog.current?.close();
            startTransition(() => submit(data));
          }}
        >
          <h2 id={titleId} className="text-lg font-semibold">
            Delete {name}?
          </h2>
          <p className="text-sm text-zinc-600 dark:text-zinc-300">
            This cannot be undone. Type the workspace&apos;s name, <strong className="break-all">{name}</strong>, to confirm.
          </p>
          <input type="hidden" name="workspace" value={workspace} />
          <Field id={fieldId} label="Workspace name" name="confirmName" autoComplete="off" value={typed} onChange={(event) => setTyped(event.currentTarget.value)} errors={nameError} />
          <div className="flex flex-wrap justify-end gap-2">
            <Button type="button" variant="secondary" onClick={() => dialog.current?.close()}>
              Cancel
            </Button>
            <Button type="submit" variant="danger" disabled={typed !== name}>
              Delete this workspace
            </Button>
          </div>
        </form>
      </dialog>
    </section>
  );
}
