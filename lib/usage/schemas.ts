import { z } from "zod";
import { MONEY_PATTERN } from "../spend/money";
import { safeDate, safeDateTime, safeText, uuidId } from "../validation/safe-input";

export const USAGE_EVENTS_MAX = 1_000;
/** 1 MiB: a thousand events with room to spare. */
export const USAGE_BODY_MAX_BYTES = 1_048_576;
/** An event may be reported this long after it happened (a runtime's outage, a replayed queue). */
export const USAGE_EVENT_MAX_AGE_DAYS = 35;
/** Clocks drift: an event stamped a little ahead of the server is still taken. */
export const USAGE_EVENT_MAX_SKEW_MS = 5 * 60_000;
export const USAGE_WINDOW_MAX_DAYS = 400;

const TOKENS_MAX = 1_000_000_000;

const tokens = z.int("Give a whole number of tokens").min(0, "Use 0 or more").max(TOKENS_MAX, `Use at most ${TOKENS_MAX}`);

const occurredAt = safeDateTime("Use an ISO 8601 date-time with an offset, e.g. 2026-11-25T10:00:00Z").refine((value) => {
  const time = Date.parse(value);
  const now = Date.now();
  return time <= now + USAGE_EVENT_MAX_SKEW_MS && time >= now - USAGE_EVENT_MAX_AGE_DAYS * 86_400_000;
}, `Use a time in the last ${USAGE_EVENT_MAX_AGE_DAYS} days, not in the future`);

const common = {
  id: safeText({ max: 200, trim: false }).min(1, "Give the event's id"),
  agent: uuidId("Give the agent's id (a UUID)"),
  occurred_at: occurredAt,
  conversation_id: safeText({ max: 200, trim: false }).min(1, "Give the conversation's id").optional(),
};

export const usageEventSchema = z.discriminatedUnion(
  "type",
  [
    z.strictObject({ ...common, type: z.literal("conversation.started") }),
    z.strictObject({ ...common, type: z.literal("turn.completed") }),
    z.strictObject({
      ...common,
      type: z.literal("llm.call"),
      model: safeText({ max: 200 }).min(1, "Give the model"),
      input_tokens: tokens,
      output_tokens: tokens,
      cost: z.string().regex(MONEY_PATTERN, 'Give the cost in dollars as a decimal string, e.g. "0.0125" (at most 6 decimals)').optional(),
      authorization_id: uuidId("Give the authorization's id (a UUID)")
        .optional()
        .describe("The hold this call was authorized by: the call captures it at its cost (the hold's amount if it has none)."),
    }),
    z.strictObject({ ...common, type: z.literal("tool.invoked"), tool: safeText({ max: 200 }).min(1, "Give the tool's name") }),
  ],
  { error: "Use conversation.started, turn.completed, llm.call or tool.invoked" },
);

export type UsageEvent = z.output<typeof usageEventSchema>;

export const usageEventsBodySchema = z.strictObject({
  events: z.array(usageEventSchema, "Give a list of events").min(1, "Give at least one event").max(USAGE_EVENTS_MAX, `Send at most ${USAGE_EVENTS_MAX} events per request`),
});

export const usageEventsResponseSchema = z.object({
  accepted: z.int().describe("Events stored by this request."),
  duplicates: z.int().describe("Events whose id was already stored (a retry): counted once, never again."),
  captured: z.int().describe("Holds this request's llm.call events captured (by their authorization_id)."),
});

const timeZone = safeText({ max: 64 }).refine((value) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: value });
    return /^[A-Za-z0-9_+\-/]+$/.test(value);
  } catch {
    return false;
  }
}, "Use an IANA time zone, e.g. Europe/Paris");

export const workspaceUsageQuerySchema = z
  .strictObject({
    from: safeDate("Use a date, yyyy-mm-dd").optional().describe("First day (inclusive). Default: 29 days before to."),
    to: safeDate("Use a date, yyyy-mm-dd").optional().describe("Last day (inclusive). Default: today in tz."),
    tz: timeZone.optional().describe("IANA zone that decides today for the defaults. Default: the workspace's."),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: "Use a from on or before to", path: ["from"] })
  .refine((q) => !q.from || !q.to || Date.parse(q.to) - Date.parse(q.from) < USAGE_WINDOW_MAX_DAYS * 86_400_000, {
    message: `Use a window of at most ${USAGE_WINDOW_MAX_DAYS} days`,
    path: ["to"],
  });

const totals = {
  conversations: z.int(),
  turns: z.int(),
  llm_calls: z.int(),
  input_tokens: z.number(),
  output_tokens: z.number(),
  tool_invocations: z.int(),
  cost: z.string().describe("Dollars, as a decimal string."),
};

export const workspaceUsageSchema = z.object({
  from: z.string(),
  to: z.string(),
  time_zone: z.string(),
  conversations_30d: z.int().describe("Conversations started in the rolling 30 days up to now."),
  agents: z.array(z.object({ agent_id: z.string(), name: z.string(), ...totals })),
  days: z.array(z.object({ day: z.string().describe("The agent's day, in its own zone."), agent_id: z.string(), ...totals })),
});
