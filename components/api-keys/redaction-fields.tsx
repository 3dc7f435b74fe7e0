"use client";

import { useState } from "react";
import { PII_KINDS } from "@/lib/redaction/redact-pii";
import { PII_KIND_LABELS } from "@/lib/workspaces/schemas";

/**
 * The key's PII redaction: the workspace's (Settings), or the key's own kinds,
 * which replace the workspace's for everything this key sends, tighter or looser.
 */
export function RedactionFields({ errors }: { errors: Record<string, string[] | undefined> }) {
  const [own, setOwn] = useState(false);
  const error = errors.piiRedaction?.[0] ?? errors.piiKinds?.[0];
  return (
    <fieldset className="space-y-2" aria-describedby={error ? "field-piiRedaction-error" : "field-piiRedaction-hint"}>
      <legend className="text-sm font-medium">PII redaction</legend>
      <label className="flex items-center gap-2 text-sm">
        <input type="radio" name="piiRedaction" value="workspace" checked={!own} onChange={() => setOwn(false)} />
        Follow the workspace
      </label>
      <label className="flex items-center gap-2 text-sm">
        <input type="radio" name="piiRedaction" value="key" checked={own} onChange={() => setOwn(true)} />
        This key&apos;s own
      </label>
      {own ? (
        <div className="ml-6 space-y-1">
          {PII_KINDS.map((kind) => (
            <label key={kind} className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="piiKinds" value={kind} />
              {PII_KIND_LABELS[kind]}
            </label>
          ))}
        </div>
      ) : null}
      {error ? (
        <p id="field-piiRedaction-error" className="text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      ) : (
        <p id="field-piiRedaction-hint" className="text-sm text-zinc-500">
          {own
            ? "Replaces the workspace's redaction for what this key sends, tighter or looser; nothing ticked: no redaction for this key."
            : "What this key sends is redacted as the workspace's Settings say, now and after any change there."}
        </p>
      )}
    </fieldset>
  );
}
