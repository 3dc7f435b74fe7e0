import { AppError } from "../errors";
import { formatMoney } from "./money";

// The refusals a runtime acts on, each with its reason and the facts it needs to
// decide what to do next (wait until resets_at, or retry smaller).

export const agentNotFound = () => new AppError("not_found", "No such agent.", undefined, "agent_not_found");
export const holdNotFound = () => new AppError("not_found", "No such authorization.", undefined, "authorization_not_found");

export function agentNotActive(state: string) {
  return state === "archived"
    ? new AppError("forbidden", "This agent is archived: it can no longer spend.", undefined, "agent_archived")
    : new AppError("conflict", "This agent is paused: resume it in Warden before it spends again.", undefined, "agent_paused");
}

export function budgetExhausted(remaining: bigint, resetsAt: Date) {
  return new AppError("payment_required", "The agent's daily budget is spent (or held by calls in flight) until its day resets.", undefined, "budget_exhausted", {
    remaining: formatMoney(remaining),
    resets_at: resetsAt.toISOString(),
  });
}

export function requestExceedsBudget(remaining: bigint, resetsAt: Date, maxAffordableOutputTokens: number | null) {
  const retry = maxAffordableOutputTokens === null ? "Retry with a smaller estimated_cost." : `Retry with max_output_tokens at most ${maxAffordableOutputTokens}.`;
  return new AppError("unprocessable", `This call's worst case is more than what is left of today's budget. ${retry}`, undefined, "request_exceeds_budget", {
    remaining: formatMoney(remaining),
    resets_at: resetsAt.toISOString(),
    ...(maxAffordableOutputTokens !== null && { max_affordable_output_tokens: maxAffordableOutputTokens }),
  });
}

export function unpricedModel(policy: string) {
  const message =
    policy === "allow"
      ? "This model has no price in the workspace's price table: send an estimated_cost above zero to hold, or add its price."
      : "This model has no price in the workspace's price table, and the agent refuses unpriced models: add its price first.";
  return new AppError("unprocessable", message, undefined, "unpriced_model");
}

export const idempotencyKeyReused = () => new AppError("conflict", "This Idempotency-Key was already used with another body: use a new key for a new request.", undefined, "idempotency_key_reused");
