"use client";

import { useActionState } from "react";
import { idle } from "@/lib/actions/action-state";
import { startEnrollment } from "@/lib/actions/mfa/start-enrollment";
import { confirmEnrollment } from "@/lib/actions/mfa/confirm-enrollment";
import { disableMfa } from "@/lib/actions/mfa/disable-mfa";
import { regenerateRecoveryCodes } from "@/lib/actions/mfa/regenerate-recovery-codes";
import Link from "next/link";
import type { PendingEnrollment } from "@/lib/mfa/enrollment";
import type { EnrollmentReturn } from "@/lib/mfa/enrollment-return";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";
import { RecoveryCodes } from "./recovery-codes";

type Status = { enabled: boolean; codesLeft: number };

type Props = { status: Status; enrollment: PendingEnrollment | null; returnTo?: EnrollmentReturn | null };

/** Back to the page a workspace's policy held the person from, once they are enrolled. */
function ContinueLink({ returnTo }: { returnTo: EnrollmentReturn }) {
  return (
    <Link href={returnTo.href} className="inline-flex rounded-md bg-zinc-900 px-3.5 py-2 text-sm font-medium text-white hover:bg-zinc-700 dark:bg-zinc-100 dark:text-zinc-900 dark:hover:bg-zinc-300">
      Continue to {returnTo.workspaceName}
    </Link>
  );
}

export function MfaSettings({ status, enrollment, returnTo }: Props) {
  const [startState, start, starting] = useActionState(startEnrollment, idle);
  const [confirmState, confirm, confirming] = useActionState(confirmEnrollment, idle);
  const [disableState, disable, disabling] = useActionState(disableMfa, idle);
  const [regenState, regenerate, regenerating] = useActionState(regenerateRecoveryCodes, idle);

  if (confirmState.status === "ok") {
    return (
      <div className="space-y-4">
        <FormAlert tone="success" message="Two-factor authentication is on. Sign-ins now ask for a code from your app." />
        <RecoveryCodes codes={confirmState.data.recoveryCodes} />
        {returnTo ? <ContinueLink returnTo={returnTo} /> : null}
      </div>
    );
  }

  if (status.enabled) {
    return (
      <div className="space-y-6">
        <p className="text-sm">
          <span className="font-medium text-emerald-700 dark:text-emerald-400">On.</span> {status.codesLeft} of 10 recovery codes left.
        </p>
        {returnTo ? <ContinueLink returnTo={returnTo} /> : null}
        {regenState.status === "ok" ? <RecoveryCodes codes={regenState.data.recoveryCodes} /> : null}
        <form action={regenerate} className="flex max-w-md flex-col gap-3" noValidate>
          <FormAlert message={regenState.status === "error" && !regenState.fieldErrors ? regenState.error : undefined} />
          <Field
            label="Code to regenerate recovery codes"
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            errors={regenState.status === "error" ? regenState.fieldErrors?.code : undefined}
            hint="The current set stops working."
          />
          <Button type="submit" variant="secondary" pending={regenerating} className="self-start">
            Regenerate recovery codes
          </Button>
        </form>
        <form action={disable} className="flex max-w-md flex-col gap-3" noValidate>
          <FormAlert message={disableState.status === "error" && !disableState.fieldErrors ? disableState.error : undefined} />
          <Field
            label="Code to turn off MFA"
            name="code"
            autoComplete="one-time-code"
            errors={disableState.status === "error" ? disableState.fieldErrors?.code : undefined}
            hint="A current code from your app, or a recovery code."
          />
          <Button type="submit" variant="danger" pending={disabling} className="self-start">
            Turn off two-factor authentication
          </Button>
        </form>
      </div>
    );
  }

  if (enrollment) {
    return (
      <div className="grid gap-6 md:grid-cols-[auto,1fr]">
        {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL generated on the server */}
        <img
          src={enrollment.qrDataUrl}
          alt="QR code to scan with your authenticator app"
          width={240}
          height={240}
          className="rounded-md border border-zinc-200 bg-white dark:border-zinc-700"
          data-testid="totp-qr"
        />
        <div className="space-y-4">
          <ol className="list-decimal space-y-1 pl-5 text-sm">
            <li>Scan the code with Google Authenticator, Authy, 1Password or any TOTP app.</li>
            <li>
              Or type this key:{" "}
              <code className="select-all rounded bg-zinc-100 px-1.5 py-0.5 font-mono dark:bg-zinc-800" data-testid="totp-key">
                {enrollment.key}
              </code>
            </li>
            <li>Enter the 6-digit code the app shows.</li>
          </ol>
          <form action={confirm} className="flex max-w-xs flex-col gap-3" noValidate>
            <FormAlert message={confirmState.status === "error" && !confirmState.fieldErrors ? confirmState.error : undefined} />
            <Field
              label="Code from your app"
              name="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              required
              errors={confirmState.status === "error" ? confirmState.fieldErrors?.code : undefined}
            />
            <Button type="submit" pending={confirming}>
              Turn on
            </Button>
          </form>
        </div>
      </div>
    );
  }

  return (
    <form action={start} className="space-y-3">
      <FormAlert message={startState.status === "error" ? startState.error : undefined} />
      <p className="text-sm text-zinc-600 dark:text-zinc-400">Off. Add a second step to sign-in with an authenticator app.</p>
      <Button type="submit" pending={starting}>
        Set up authenticator app
      </Button>
    </form>
  );
}
