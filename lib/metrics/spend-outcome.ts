/**
 * The outcome label of a spend authorization's answer, from the answer itself: the
 * route counts it once the transaction has committed (an admission counted before
 * its commit could be one that never happened). A fixed set, so a fixed number of series.
 */
export async function spendOutcome(response: Response): Promise<string> {
  // An idempotent replay answers 201 again and counts as another admitted answer.
  if (response.status === 201) return "admitted";
  if (response.status === 503) return "unavailable";
  const reason = await response
    .clone()
    .json()
    .then(
      (body: { error?: { reason?: string; code?: string } }) => body.error?.reason ?? body.error?.code,
      () => undefined,
    );
  return reason === "budget_exhausted" || reason === "request_exceeds_budget" || reason === "unpriced_model" ? reason : "refused";
}
