"use client";

import { useActionState, useState } from "react";
import { completeSetup } from "@/lib/actions/setup/complete-setup";
import { idle } from "@/lib/actions/action-state";
import { Field } from "@/components/ui/field";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";

const toSlug = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48);

export function SetupForm() {
  const [state, action, pending] = useActionState(completeSetup, idle);
  const [slug, setSlug] = useState("");
  const [slugEdited, setSlugEdited] = useState(false);
  const errors = state.status === "error" ? (state.fieldErrors ?? {}) : {};
  const values = state.status === "error" ? (state.values ?? {}) : {};

  return (
    <form action={action} className="space-y-4" noValidate>
      <FormAlert message={state.status === "error" ? state.error : undefined} />
      <Field
        label="Setup token"
        name="token"
        autoComplete="off"
        required
        defaultValue={values.token}
        errors={errors.token}
        hint="Printed in the terminal where Warden is running. It proves you control this server."
      />
      <Field label="Your name" name="name" autoComplete="name" required defaultValue={values.name} errors={errors.name} />
      <Field label="Email" name="email" type="email" autoComplete="email" required defaultValue={values.email} errors={errors.email} />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={12}
        errors={errors.password}
        hint="At least 12 characters, not containing your email name, and not a common password. A few unrelated words work well."
      />
      <Field
        label="Workspace name"
        name="workspaceName"
        required
        defaultValue={values.workspaceName}
        errors={errors.workspaceName}
        onChange={(e) => (slugEdited ? null : setSlug(toSlug(e.target.value)))}
      />
      <Field
        label="Workspace URL name"
        name="workspaceSlug"
        required
        value={slug}
        onChange={(e) => {
          setSlugEdited(true);
          setSlug(e.target.value);
        }}
        errors={errors.workspaceSlug}
        hint={slug ? `Your workspace will live at /w/${slug}` : "Lowercase letters, digits and dashes."}
      />
      <Button type="submit" pending={pending} className="w-full">
        {pending ? "Creating…" : "Create owner and workspace"}
      </Button>
    </form>
  );
}
