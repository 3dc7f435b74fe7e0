import type { UsageEvent } from "../usage/schemas";
import { redactText, type PiiKind } from "./redact-pii";

/**
 * A usage batch as it may be stored under the policy. Redacted: conversation_id
 * and tool, strings the runtime chooses freely (a conversation keyed by a user's
 * e-mail or phone, a tool named after an address). Kept: the event's id (the
 * exactly-once key: two events whose ids differ only by an address must not
 * collapse into one), model (prices are looked up by it) and the agent and
 * authorization ids (UUIDs, checked as such).
 */
export function redactUsageEvents(events: UsageEvent[], kinds: readonly PiiKind[]): UsageEvent[] {
  if (kinds.length === 0) return events;
  return events.map((event) => {
    const redacted = { ...event };
    if (redacted.conversation_id !== undefined) redacted.conversation_id = redactText(redacted.conversation_id, kinds);
    if (redacted.type === "tool.invoked") redacted.tool = redactText(redacted.tool, kinds);
    return redacted;
  });
}
