import type { WorkspaceSettings } from "@/lib/workspaces/lock-workspace-settings";
import { PII_KIND_LABELS, type PiiKind } from "@/lib/workspaces/schemas";

/** The settings as text, for members whose role cannot change them. */
export function WorkspaceSettingsSummary({ settings, role }: { settings: WorkspaceSettings; role: string }) {
  const rows: [string, string][] = [
    ["Name", settings.name],
    ["Address", `/w/${settings.slug}`],
    ["Time zone", settings.timeZone],
    ["Audit retention", settings.auditRetentionDays === null ? "Keep forever" : `Delete events older than ${settings.auditRetentionDays} days`],
    ["PII redaction", settings.piiRedaction.length === 0 ? "Off" : settings.piiRedaction.map((k) => PII_KIND_LABELS[k as PiiKind] ?? k).join("; ")],
  ];
  return (
    <section aria-labelledby="settings-summary" className="space-y-4 rounded-lg border border-zinc-200 bg-white p-6 dark:border-zinc-800 dark:bg-zinc-900">
      <h2 id="settings-summary" className="text-lg font-semibold">
        Workspace settings
      </h2>
      <p role="note" className="text-sm text-zinc-600 dark:text-zinc-400">
        Your role ({role}) cannot change settings. Owners and admins can.
      </p>
      <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[12rem_1fr]">
        {rows.map(([term, value]) => (
          <div key={term} className="contents">
            <dt className="font-medium">{term}</dt>
            <dd className="break-words text-zinc-700 dark:text-zinc-300">{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
