import "server-only";
import type { IngestedCounts } from "../usage/ingest-usage-events";
import { metrics, workspaceLabel } from "./registry";

/**
 * Moves the usage counters by what a committed ingestion newly stored (duplicates
 * never count), labelled with the batch's workspace when WARDEN_METRICS_WORKSPACE_LABELS is on.
 */
export function recordUsageMetrics(counts: IngestedCounts, workspaceId: string): void {
  const m = metrics();
  const labels = workspaceLabel(m, workspaceId);
  m.sessionsStarted.inc(labels, counts.conversations);
  m.turns.inc(labels, counts.turns);
  m.llmTokens.inc({ direction: "input", ...labels }, counts.inputTokens);
  m.llmTokens.inc({ direction: "output", ...labels }, counts.outputTokens);
  m.toolInvocations.inc(labels, counts.toolInvocations);
}
