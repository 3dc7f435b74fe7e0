"use client";

import { useState } from "react";
import type { ActionState } from "@/lib/actions/action-state";
import { renameWorkspace } from "@/lib/actions/workspaces/rename-workspace";
import { changeWorkspaceSlug } from "@/lib/actions/workspaces/change-workspace-slug";
import { setWorkspaceTimeZone } from "@/lib/actions/workspaces/set-workspace-time-zone";
import { setAuditRetention } from "@/lib/actions/workspaces/set-audit-retention";
import { setPiiRedaction } from "@/lib/actions/workspaces/set-pii-redaction";
import { PII_KINDS, PII_KIND_LABELS, RETENTION_MAX_DAYS, RETENTION_MIN_DAYS } from "@/lib/workspaces/schemas";
import type { WorkspaceSettings } from "@/lib/workspaces/lock-workspace-settings";
import { Field } from "@/components/ui/field";
import { SettingsSection } from "./settings-section";

type Moved = { before: string; after: string };

/**
 * The old address stops answering the moment the change commits, and the page
 * that sent the form is at it: go to the new one with a full load, which also
 * drops every cached page of the old address.
 */
async function changeSlugThenMove(previous: ActionState<Moved>, form: FormData): Promise<ActionState<Moved>> {
  const result = await changeWorkspaceSlug(previous, form);
  if (result.status === "ok" && result.data.before !== result.data.after) {
    window.location.assign(`/w/${result.data.after}/settings?moved-from=${encodeURIComponent(result.data.before)}`);
  }
  return result;
}

const retentionSaved = ({ changed }: { changed: boolean }) => (changed ? "Audit retention saved." : "Audit retention unchanged.");

export function WorkspaceSettingsForms({ workspace, settings }: { workspace: string; settings: WorkspaceSettings }) {
  const [keepForever, setKeepForever] = useState(settings.auditRetentionDays === null);
  return (
    <div className="space-y-6">
      <SettingsSection title="Name" workspace={workspace} action={renameWorkspace} submitLabel="Rename" saved={({ after }) => `The workspace is now called “${after}”.`}>
        {(errors, id) => <Field label="Workspace name" id={id("name")} name="name" required maxLength={100} defaultValue={settings.name} errors={errors.name} autoComplete="off" />}
      </SettingsSection>

      <SettingsSection
        title="Address (slug)"
        workspace={workspace}
        action={changeSlugThenMove}
        submitLabel="Change address"
        saved={({ before, after }) => (before === after ? "Address unchanged." : `Address changed. Opening /w/${after}…`)}
      >
        {(errors, id) => (
          <>
            <Field
              label="Slug"
              id={id("slug")}
              name="slug"
              required
              maxLength={48}
              defaultValue={settings.slug}
              errors={errors.slug}
              autoComplete="off"
              spellCheck={false}
              hint="Lowercase letters, digits and dashes."
            />
            <p className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
              Old links stop working: after the change, every address under /w/{settings.slug}/… answers 404 (not found), including bookmarks and links in emails. Nothing redirects to the new address.
              API keys keep working.
            </p>
          </>
        )}
      </SettingsSection>

      <SettingsSection
        title="Time zone"
        workspace={workspace}
        action={setWorkspaceTimeZone}
        submitLabel="Save time zone"
        saved={({ changed }) => (changed ? "Time zone saved." : "Time zone unchanged.")}
      >
        {(errors, id) => (
          <Field
            label="Workspace time zone"
            id={id("timeZone")}
            name="timeZone"
            required
            defaultValue={settings.timeZone}
            errors={errors.timeZone}
            autoComplete="off"
            spellCheck={false}
            hint="An IANA zone such as Europe/Paris or UTC. New agents' budget day starts at its midnight unless they set their own zone; agents that exist keep theirs."
          />
        )}
      </SettingsSection>

      <SettingsSection title="Audit retention" workspace={workspace} action={setAuditRetention} submitLabel="Save retention" saved={retentionSaved}>
        {(errors, id) => (
          <>
            <fieldset className="space-y-2">
              <legend className="text-sm font-medium">Keep audit events</legend>
              <label className="flex items-center gap-2 text-sm">
                <input type="radio" name="retention" value="forever" checked={keepForever} onChange={() => setKeepForever(true)} />
                Keep forever
              </label>
              <label className="flex items-center gap-2 text-sm">
                <input type="radio" name="retention" value="days" checked={!keepForever} onChange={() => setKeepForever(false)} />
                Delete events older than a number of days
              </label>
              {errors.retention ? <p className="text-sm text-red-600 dark:text-red-400">{errors.retention[0]}</p> : null}
            </fieldset>
            <Field
              label="Days to keep"
              id={id("retentionDays")}
              name="retentionDays"
              type="number"
              inputMode="numeric"
              min={RETENTION_MIN_DAYS}
              max={RETENTION_MAX_DAYS}
              step={1}
              disabled={keepForever}
              defaultValue={settings.auditRetentionDays ?? 365}
              errors={errors.retentionDays}
              className="max-w-xs"
              hint={`A whole number from ${RETENTION_MIN_DAYS} to ${RETENTION_MAX_DAYS}.`}
            />
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              Events older than the window are removed once a day, for good. The log still verifies: verification starts from a checkpoint (the last removed event&apos;s position and hash) recorded by
              each removal, and the integrity check reports it.
            </p>
          </>
        )}
      </SettingsSection>

      <SettingsSection
        title="PII redaction"
        workspace={workspace}
        action={setPiiRedaction}
        submitLabel="Save redaction"
        saved={({ changed }) => (changed ? "PII redaction saved." : "PII redaction unchanged.")}
      >
        {(errors) => (
          <>
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              Redacts personal data from what the runtime sends Warden before it is stored or logged: usage events, runtime audit events and the server&apos;s request logs. POST /api/v1/redact returns
              text redacted under the same policy, so the runtime can scrub a prompt before sending it on. An API key can override it. Off by default.
            </p>
            <fieldset className="space-y-2">
              <legend className="text-sm font-medium">Redact</legend>
              {PII_KINDS.map((kind) => (
                <label key={kind} className="flex items-center gap-2 text-sm">
                  <input type="checkbox" name="pii" value={kind} defaultChecked={settings.piiRedaction.includes(kind)} />
                  {PII_KIND_LABELS[kind]}
                </label>
              ))}
              {errors.pii ? <p className="text-sm text-red-600 dark:text-red-400">{errors.pii[0]}</p> : null}
            </fieldset>
          </>
        )}
      </SettingsSection>
    </div>
  );
}
