"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";

/** Recovery codes, shown once: copy them or download them as a text file. */
export function RecoveryCodes({ codes }: { codes: string[] }) {
  const [copied, setCopied] = useState(false);
  const text = `Warden recovery codes (each works once)\n\n${codes.join("\n")}\n`;
  return (
    <div className="space-y-3 rounded-lg border border-amber-300 bg-amber-50 p-4 dark:border-amber-800 dark:bg-amber-950">
      <p className="text-sm font-medium">Save these recovery codes now. They will not be shown again.</p>
      <ul className="grid grid-cols-2 gap-1 font-mono text-sm" aria-label="Recovery codes" data-testid="recovery-codes">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ul>
      <div className="flex gap-2">
        <Button type="button" variant="secondary" onClick={() => void navigator.clipboard?.writeText(text).then(() => setCopied(true))}>
          {copied ? "Copied" : "Copy"}
        </Button>
        <Button
          type="button"
          variant="secondary"
          onClick={() => {
            const url = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
            const link = Object.assign(document.createElement("a"), { href: url, download: "warden-recovery-codes.txt" });
            link.click();
            URL.revokeObjectURL(url);
          }}
        >
          Download .txt
        </Button>
      </div>
    </div>
  );
}
