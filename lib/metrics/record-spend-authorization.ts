import "server-only";
import { metrics } from "./registry";

/**
 * Counts one spend authorization's answer, e.g. "admitted", "budget_exhausted",
 * "request_exceeds_budget", "unpriced_model", "unavailable". Call it after the
 * answer is decided (and committed, for an admission). Keep outcomes to a fixed
 * set: each distinct value is a new series.
 */
export function recordSpendAuthorization(outcome: string): void {
  metrics().spendAuthorizations.inc({ outcome });
}
