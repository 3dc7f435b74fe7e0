import "server-only";
import { metrics, workspaceLabel } from "./registry";

/**
 * Counts one spend authorization's answer, e.g. "admitted", "budget_exhausted",
 * "request_exceeds_budget", "unpriced_model", "unavailable". Call it after the
 * answer is decided (and committed, for an admission). Keep outcomes to a fixed
 * set: each distinct value is a new series. The workspace (null when the request
 * was refused before its key was known) labels it only when
 * WARDEN_METRICS_WORKSPACE_LABELS is on.
 */
export function recordSpendAuthorization(outcome: string, workspaceId: string | null): void {
  const m = metrics();
  m.spendAuthorizations.inc({ outcome, ...workspaceLabel(m, workspaceId) });
}
