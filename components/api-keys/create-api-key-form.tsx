"use client";

import { startTransition, useState } from "react";
import { createApiKey } from "@/lib/actions/api-keys/create-api-key";
import { API_KEY_NAME_MAX } from "@/lib/api-keys/schemas";
import { EXPIRY_CHOICES, EXPIRY_LABELS, latestExpiry, type ExpiryChoice } from "@/lib/api-keys/expiry";
import type { Role } from "@/lib/generated/prisma/enums";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";
import { useStepUpAction } from "@/components/mfa/use-step-up-action";
import { StepUpPrompt } from "@/components/mfa/step-up-prompt";
import { NewApiKey } from "./new-api-key";
import { ScopeCheckboxes } from "./scope-checkboxes";
import { ResolveRestrictionFields } from "./resolve-restriction-fields";
import { AgentSelect } from "./agent-select";
import { RedactionFields } from "./redaction-fields";

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

type Environment = { id: string; name: string };
type Agent = { id: string; name: string };

export function CreateApiKeyForm({ workspace, viewerRole, environments, agents = [] }: { workspace: string; viewerRole: Role; environments: Environment[]; agents?: Agent[] }) {
  const { state, submit, pending, needsStepUp, stepUp } = useStepUpAction(createApiKey);
  // After a key is created the fields start afresh; after a refusal they keep what was typed.
  const [formKey, setFormKey] = useState("new");
  if (state.status === "ok" && formKey !== state.data.id) setFormKey(state.data.id);
  const errors = state.status === "error" ? (state.fieldErrors ?? {}) : {};

  return (
    <section aria-labelledby="create-key-heading" className="space-y-4 rounded-lg border border-zinc-200 bg-white p-6 dark:border-zinc-800 dark:bg-zinc-900">
      <h2 id="create-key-heading" className="text-lg font-semibold">
        Create a key
      </h2>
      {stepUp ? <StepUpPrompt {...stepUp} /> : null}
      <FormAlert message={state.status === "error" && !needsStepUp ? state.error : undefined} />
      {state.status === "ok" ? <NewApiKey key={state.data.id} name={state.data.name} apiKey={state.data.key} /> : null}
      <form
        // Not the new key's id itself: the notice above is keyed by it, and two siblings with one key are duplicated or dropped by React.
        key={`form-${formKey}`}
        noValidate
        className="space-y-4"
        onSubmit={(event) => {
          // Submitted by hand rather than through the form's action, so a refused
          // form is not reset and keeps its ticked scopes.
          event.preventDefault();
          const data = new FormData(event.currentTarget);
          startTransition(() => submit(data));
        }}
      >
        <input type="hidden" name="workspace" value={workspace} />
        <Field label="Name" name="name" required maxLength={API_KEY_NAME_MAX} autoComplete="off" hint="What uses the key, e.g. “SIEM export”." errors={errors.name} className="max-w-md" />
        <ScopesAndRestrictions viewerRole={viewerRole} environments={environments} errors={errors} />
        <AgentSelect agents={agents} errors={errors.agentId} />
        <RedactionFields errors={errors} />
        <ExpiryFields errors={errors.expiry ?? errors.expiresOn} />
        <Button type="submit" pending={pending}>
          Create key
        </Button>
      </form>
    </section>
  );
}

// Inside the form, so a fresh form after a created key starts with nothing ticked and no restriction shown.
function ScopesAndRestrictions({ viewerRole, environments, errors }: { viewerRole: Role; environments: Environment[]; errors: Record<string, string[] | undefined> }) {
  const [resolves, setResolves] = useState(false);
  return (
    <>
      <ScopeCheckboxes viewerRole={viewerRole} errors={errors.scopes} onToggle={(scope, checked) => scope === "secrets:resolve" && setResolves(checked)} />
      {resolves ? <ResolveRestrictionFields environments={environments} errors={errors} /> : null}
    </>
  );
}

function ExpiryFields({ errors }: { errors?: string[] }) {
  const [expiry, setExpiry] = useState<ExpiryChoice>("90");
  const today = new Date();
  return (
    <div className="flex flex-wrap items-start gap-4">
      <div className="space-y-1">
        <label htmlFor="field-expiry" className="block text-sm font-medium">
          Expires
        </label>
        <select
          id="field-expiry"
          name="expiry"
          value={expiry}
          onChange={(event) => setExpiry(event.target.value as ExpiryChoice)}
          aria-invalid={errors?.length && expiry !== "custom" ? true : undefined}
          aria-describedby={errors?.length && expiry !== "custom" ? "field-expiry-error" : undefined}
          className="rounded-md border border-zinc-300 bg-white px-2 py-2 text-sm dark:border-zinc-700 dark:bg-zinc-900"
        >
          {EXPIRY_CHOICES.map((choice) => (
            <option key={choice} value={choice}>
              {EXPIRY_LABELS[choice]}
            </option>
          ))}
        </select>
        {errors?.length && expiry !== "custom" ? (
          <p id="field-expiry-error" className="text-sm text-red-600 dark:text-red-400">
            {errors[0]}
          </p>
        ) : null}
      </div>
      {expiry === "custom" ? (
        <Field label="Expiry date" name="expiresOn" type="date" required min={isoDay(today)} max={isoDay(latestExpiry(today))} hint="The key works until the end of this day (UTC)." errors={errors} />
      ) : null}
    </div>
  );
}
