"use client";

import { useActionState } from "react";
import { rollbackSecret } from "@/lib/actions/secrets/rollback-secret";
import { destroySecretVersion } from "@/lib/actions/secrets/destroy-secret-version";
import { idle } from "@/lib/actions/action-state";
import type { SecretVersionRow } from "@/lib/secrets/get-secret-detail";
import { useStepUpAction } from "@/components/mfa/use-step-up-action";
import { StepUpPrompt } from "@/components/mfa/step-up-prompt";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { FormAlert } from "@/components/ui/form-alert";
import { LocalTime } from "@/components/ui/local-time";

type Props = {
  workspace: string;
  secretId: string;
  name: string;
  currentVersion: number;
  versions: SecretVersionRow[];
  canRollback: boolean;
  canDestroy: boolean;
};

const who = (email: string | null) => email ?? "a deleted account";

/** Every version, newest first, with rollback and destroy where the role allows. */
export function SecretVersionHistory({ workspace, secretId, name, currentVersion, versions, canRollback, canDestroy }: Props) {
  const [rolled, rollback, rolling] = useActionState(rollbackSecret, idle);
  const destroy = useStepUpAction(destroySecretVersion);
  const hidden = (version: number) => ({ workspace, secretId, version: String(version) });

  return (
    <section aria-labelledby="versions-heading" className="space-y-3">
      <h2 id="versions-heading" className="text-lg font-semibold">
        Version history
      </h2>
      {destroy.stepUp ? <StepUpPrompt {...destroy.stepUp} /> : null}
      <FormAlert message={rolled.status === "error" ? rolled.error : undefined} />
      <FormAlert tone="success" message={rolled.status === "ok" ? `Version ${rolled.data.version} written, equal to version ${rolled.data.rolledBackFrom}.` : undefined} />
      <FormAlert message={destroy.state.status === "error" && !destroy.needsStepUp ? destroy.state.error : undefined} />
      <FormAlert tone="success" message={destroy.state.status === "ok" ? `Version ${destroy.state.data.version} destroyed: its value is gone for good.` : undefined} />
      <div className="relative overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Versions of {name}, newest first</caption>
          <thead className="border-b border-zinc-200 text-xs uppercase text-zinc-500 dark:border-zinc-800">
            <tr>
              {["Version", "Created", "Note", "Destroyed", ""].map((h, i) => (
                <th key={i} scope="col" className="px-4 py-2 font-medium">
                  {h || <span className="sr-only">Actions</span>}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
            {versions.map((v) => (
              <tr key={v.version} data-testid={`version-${v.version}`}>
                <th scope="row" className="whitespace-nowrap px-4 py-2 font-medium">
                  v{v.version}
                  {v.version === currentVersion ? <span className="ml-2 rounded bg-indigo-100 px-1.5 py-0.5 text-xs text-indigo-800 dark:bg-indigo-950 dark:text-indigo-200">current</span> : null}
                </th>
                <td className="px-4 py-2">
                  <LocalTime iso={v.createdAt} /> by {who(v.createdBy)}
                </td>
                <td className="px-4 py-2">{v.rolledBackFrom ? `Rolled back from v${v.rolledBackFrom}` : ""}</td>
                <td className="px-4 py-2">
                  {v.destroyedAt ? (
                    <>
                      <LocalTime iso={v.destroyedAt} /> by {who(v.destroyedBy)}
                    </>
                  ) : (
                    ""
                  )}
                </td>
                <td className="whitespace-nowrap px-4 py-2 text-right">
                  <div className="flex justify-end gap-2">
                    {canRollback && !v.destroyedAt && v.version !== currentVersion ? (
                      <ConfirmDialog
                        trigger={`Roll back to v${v.version}`}
                        title={`Write version ${currentVersion + 1} equal to version ${v.version}?`}
                        confirmLabel={`Write version ${currentVersion + 1}`}
                        tone="primary"
                        action={rollback}
                        pending={rolling}
                        hidden={hidden(v.version)}
                      >
                        {name} will resolve to the value of version {v.version}. Nothing is erased: version {currentVersion} stays in the history.
                      </ConfirmDialog>
                    ) : null}
                    {canDestroy && !v.destroyedAt ? (
                      <ConfirmDialog
                        trigger={`Destroy v${v.version}`}
                        title={`Destroy version ${v.version} of ${name}?`}
                        confirmLabel={`Destroy version ${v.version}`}
                        action={destroy.submit}
                        pending={destroy.pending}
                        hidden={hidden(v.version)}
                      >
                        The value of version {v.version} is wiped for good and cannot be revealed, resolved or rolled back to; who wrote it and when stay in the history.
                        {v.version === currentVersion ? ` It is the current version: until a new value is saved, ${name} resolves to nothing.` : ""}
                      </ConfirmDialog>
                    ) : null}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
