"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";

/** The full key, shown this once: Warden keeps only its hash. */
export function NewApiKey({ name, apiKey }: { name: string; apiKey: string }) {
  const [copied, setCopied] = useState(false);
  const [dismissed, setDismissed] = useState(false);
  if (dismissed) return null;
  return (
    <div role="status" aria-labelledby="new-key-heading" className="space-y-3 rounded-md border border-amber-300 bg-amber-50 p-4 text-sm dark:border-amber-800 dark:bg-amber-950">
      <h3 id="new-key-heading" className="font-semibold">
        Copy the key “{name}” now
      </h3>
      <p>This is the only time the full key is shown. Warden stores only a hash of it and cannot show it again; if it is lost, revoke it and create another.</p>
      <div className="flex gap-2">
        <input
          readOnly
          value={apiKey}
          aria-label="New API key"
          data-testid="new-api-key"
          onFocus={(event) => event.currentTarget.select()}
          className="w-full rounded border border-zinc-300 bg-white px-2 py-1 font-mono text-xs dark:border-zinc-700 dark:bg-zinc-900"
        />
        <Button type="button" variant="secondary" onClick={() => void navigator.clipboard?.writeText(apiKey).then(() => setCopied(true))}>
          {copied ? "Copied" : "Copy"}
        </Button>
        <Button type="button" variant="ghost" onClick={() => setDismissed(true)}>
          Done
        </Button>
      </div>
      <p className="sr-only">{copied ? "Key copied to the clipboard" : ""}</p>
    </div>
  );
}
