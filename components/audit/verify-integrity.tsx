"use client";

import { useActionState } from "react";
import { verifyAuditLog } from "@/lib/actions/audit/verify-audit-log";
import { idle } from "@/lib/actions/action-state";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";

const REASONS = {
  hash_mismatch: "its contents no longer match its hash",
  link_mismatch: "it does not point at the hash of the event before it",
  gap: "events before it are missing",
  unkeyed: "its hash was not made with this server's key",
  unknown_key: "its hash names a key this server does not hold",
} as const;

/** After retention: where the walk started, and what retention had removed before it. */
function fromCheckpoint(checkpoint: { seq: string; removed: string; removedAt: Date | string } | null): string {
  if (!checkpoint) return "";
  const removed = BigInt(checkpoint.removed).toLocaleString();
  const on = new Date(checkpoint.removedAt).toISOString().slice(0, 10);
  return ` from seq ${BigInt(checkpoint.seq) + 1n} after ${removed} events removed by retention on ${on} (UTC)`;
}

/** Recomputes the workspace's hash chain on the server and says whether it holds. */
export function VerifyIntegrity({ workspace }: { workspace: string }) {
  const [state, action, pending] = useActionState(verifyAuditLog, idle);
  const result = state.status === "ok" ? state.data : null;
  return (
    <form action={action} className="flex flex-wrap items-center gap-3">
      <input type="hidden" name="workspace" value={workspace} />
      <Button type="submit" variant="secondary" pending={pending}>
        Verify integrity
      </Button>
      <div aria-live="polite" data-testid="verify-result">
        {result?.status === "verified" ? (
          <FormAlert tone="success" message={`${result.count.toLocaleString()} events verified${fromCheckpoint(result.checkpoint)}. Latest hash ${result.headHash?.slice(0, 16) ?? "—"}…`} />
        ) : null}
        {result?.status === "broken" ? (
          <FormAlert message={`Integrity check failed at event #${result.seq} (${result.eventId}): ${REASONS[result.reason]}. ${result.count.toLocaleString()} events before it verified.`} />
        ) : null}
        <FormAlert message={state.status === "error" ? state.error : undefined} />
      </div>
    </form>
  );
}
