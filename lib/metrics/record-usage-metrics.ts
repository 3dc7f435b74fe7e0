import "server-only";
import type { IngestedCounts } from "../usage/ingest-usage-events";
import { metrics } from "./registry";

/** Moves the usage counters by what a committed ingestion newly stored (duplicates never count). */
export function recordUsageMetrics(counts: IngestedCounts): void {
  const m = metrics();
  m.sessionsStarted.inc(counts.conversations);
  m.turns.inc(counts.turns);
  m.llmTokens.inc({ direction: "input" }, counts.inputTokens);
  m.llmTokens.inc({ direction: "output" }, counts.outputTokens);
  m.toolInvocations.inc(counts.toolInvocations);
}
