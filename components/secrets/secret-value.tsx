"use client";

import Link from "next/link";
import { startTransition, useCallback, useEffect, useState } from "react";
import { revealSecret } from "@/lib/actions/secrets/reveal-secret";
import type { ActionState } from "@/lib/actions/action-state";
import { useStepUpAction } from "@/components/mfa/use-step-up-action";
import { StepUpPrompt } from "@/components/mfa/step-up-prompt";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";

/** How long a revealed value stays on screen (and in memory) before it is hidden and dropped. */
export const REVEAL_SECONDS = 30;

type Props = { workspace: string; secretId: string; currentVersion: number; liveVersions: number[]; canReveal: boolean; mfaEnabled: boolean };
type Shown = { value: string; version: number };

/**
 * The value, masked until an owner asks for it: then fetched by its own request
 * (the reveal action, behind a fresh MFA check), shown for 30 seconds, and
 * dropped from state. The action's answer keeps only the version, so the value
 * lives in one place here and nowhere in the page's payload.
 */
export function SecretValue({ workspace, secretId, currentVersion, liveVersions, canReveal, mfaEnabled }: Props) {
  const [shown, setShown] = useState<Shown | null>(null);
  const [copied, setCopied] = useState(false);
  // Empty: the current version, whichever it is when the request arrives.
  const [version, setVersion] = useState("");
  const reveal = useCallback(async (previous: ActionState<{ version: number }>, form: FormData): Promise<ActionState<{ version: number }>> => {
    const result = await revealSecret(previous as ActionState<never>, form);
    if (result.status !== "ok") return result;
    setShown(result.data);
    setCopied(false);
    return { status: "ok", data: { version: result.data.version } };
  }, []);
  const { state, submit, pending, needsStepUp, stepUp } = useStepUpAction(reveal);

  useEffect(() => {
    if (!shown) return;
    const timer = setTimeout(() => setShown(null), REVEAL_SECONDS * 1000);
    return () => clearTimeout(timer);
  }, [shown]);

  const ask = () => {
    const form = new FormData();
    form.set("workspace", workspace);
    form.set("secretId", secretId);
    form.set("version", version);
    startTransition(() => submit(form));
  };
  const copy = () => {
    if (shown) void navigator.clipboard?.writeText(shown.value).then(() => setCopied(true));
  };

  return (
    <section aria-labelledby="value-heading" className="space-y-3 rounded-lg border border-zinc-200 bg-white p-6 dark:border-zinc-800 dark:bg-zinc-900">
      <h2 id="value-heading" className="text-lg font-semibold">
        Value
      </h2>
      {stepUp ? <StepUpPrompt {...stepUp} /> : null}
      <FormAlert message={state.status === "error" && !needsStepUp ? state.error : undefined} />
      <div className="flex flex-wrap items-center gap-2">
        {liveVersions.length > 1 && canReveal && mfaEnabled ? (
          <label className="flex items-center gap-2 text-sm">
            <span>Version</span>
            <select
              value={version}
              onChange={(event) => {
                setVersion(event.target.value);
                setShown(null);
              }}
              className="rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900"
            >
              <option value="">Current (v{currentVersion})</option>
              {liveVersions
                .filter((v) => v !== currentVersion)
                .map((v) => (
                  <option key={v} value={v}>
                    v{v}
                  </option>
                ))}
            </select>
          </label>
        ) : null}
        <output
          data-testid="secret-value"
          aria-live="polite"
          aria-label={shown ? `Value of version ${shown.version}` : "Value hidden"}
          className="min-w-48 max-w-full overflow-x-auto whitespace-pre-wrap break-all rounded border border-zinc-300 bg-zinc-50 px-3 py-1.5 font-mono text-sm dark:border-zinc-700 dark:bg-zinc-950"
        >
          {shown ? shown.value : "••••••••••••"}
        </output>
        {canReveal && mfaEnabled ? (
          <>
            {shown ? (
              <Button type="button" variant="secondary" onClick={() => setShown(null)}>
                Hide
              </Button>
            ) : (
              <Button type="button" variant="secondary" pending={pending} disabled={liveVersions.length === 0} onClick={ask}>
                Reveal
              </Button>
            )}
            <Button type="button" variant="secondary" disabled={!shown} onClick={copy}>
              {copied && shown ? "Copied" : "Copy"}
            </Button>
          </>
        ) : null}
      </div>
      <p className="text-xs text-zinc-500 dark:text-zinc-400" role="status">
        {shown
          ? `Showing version ${shown.version}. It is hidden again after ${REVEAL_SECONDS} seconds. Every reveal is recorded in the audit log.`
          : !canReveal
            ? "Only owners can reveal values. Agents and scripts read them by name through the API."
            : null}
        {copied && shown ? " Copied to the clipboard." : null}
      </p>
      {canReveal && !mfaEnabled ? (
        <p className="text-sm">
          Revealing a value always needs a fresh two-factor check. Set up two-factor authentication under{" "}
          <Link href="/account/security" className="font-medium text-indigo-700 underline dark:text-indigo-400">
            Account → Security
          </Link>{" "}
          first.
        </p>
      ) : null}
      {canReveal && mfaEnabled && liveVersions.length === 0 ? <p className="text-sm">Every version of this secret was destroyed: there is no value to reveal.</p> : null}
    </section>
  );
}
