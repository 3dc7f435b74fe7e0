import { z } from "zod";
import { safeText, uuidId } from "../validation/safe-input";
import { parseMoney } from "./money";
import { isTimeZone } from "./time-zone";

export const AGENT_NAME_MAX = 80;
export const AGENT_STATES = ["active", "paused", "archived"] as const;
export type AgentState = (typeof AGENT_STATES)[number];
export const UNPRICED_POLICIES = ["deny", "allow"] as const;
export type UnpricedPolicy = (typeof UNPRICED_POLICIES)[number];
export const DEFAULT_THRESHOLDS = [50, 80, 100];
export const THRESHOLDS_MAX = 5;

const emptyAsMissing = (value: unknown) => (value === "" ? undefined : value);

export const agentNameSchema = safeText({ max: AGENT_NAME_MAX, message: "Enter a name for the agent" }).min(1, "Enter a name for the agent");

/** A decimal amount of dollars ("12.50") as micro-dollars; no floats on the way. */
export const moneySchema = (message = "Enter an amount in dollars, e.g. 12.50") =>
  z.string(message).transform((text, ctx) => {
    const parsed = parseMoney(text);
    if (!parsed.ok) {
      ctx.addIssue({ code: "custom", message: parsed.message });
      return z.NEVER;
    }
    return parsed.micros;
  });

export const timeZoneSchema = safeText({ max: 64, message: "Choose a time zone" }).min(1, "Choose a time zone").refine(isTimeZone, "Use an IANA time zone such as Europe/Paris or UTC");

/** Percentages of the cap that raise an alert, "50, 80, 100": 1 to 100, sorted, each once, at most five. */
export const thresholdsSchema = safeText({ max: 100 }).transform((text, ctx) => {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  if (parts.length === 0) {
    ctx.addIssue({ code: "custom", message: "Enter at least one percentage, e.g. 50, 80, 100" });
    return z.NEVER;
  }
  if (parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) < 1 || Number(p) > 100)) {
    ctx.addIssue({ code: "custom", message: "Use whole percentages from 1 to 100" });
    return z.NEVER;
  }
  const values = [...new Set(parts.map(Number))].sort((a, b) => a - b);
  if (values.length > THRESHOLDS_MAX) {
    ctx.addIssue({ code: "custom", message: `Use at most ${THRESHOLDS_MAX} thresholds` });
    return z.NEVER;
  }
  return values;
});

export const unpricedPolicySchema = z.enum(UNPRICED_POLICIES, "Choose deny or allow");

export const createAgentSchema = z.object({
  name: agentNameSchema,
  dailyCap: moneySchema(),
  /** Empty: the workspace's zone. */
  timeZone: z.preprocess(emptyAsMissing, timeZoneSchema.optional()),
  alertThresholds: z.preprocess(emptyAsMissing, thresholdsSchema.optional()),
  unpricedPolicy: z.preprocess(emptyAsMissing, unpricedPolicySchema.default("deny")),
});

const agentId = uuidId("Unknown agent");

export const renameAgentSchema = z.object({ agentId, name: agentNameSchema });

export const setAgentStateSchema = z.object({ agentId, state: z.enum(AGENT_STATES, "Choose active, paused or archived") });

export const updateAgentBudgetSchema = z.object({
  agentId,
  dailyCap: moneySchema(),
  timeZone: timeZoneSchema,
  alertThresholds: thresholdsSchema,
  unpricedPolicy: unpricedPolicySchema,
});

export type CreateAgentInput = z.output<typeof createAgentSchema>;
export type UpdateAgentBudgetInput = z.output<typeof updateAgentBudgetSchema>;
