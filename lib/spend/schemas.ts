import { z } from "zod";
import { safeText } from "../validation/safe-input";
import { MONEY_PATTERN } from "./money";

const TOKENS_MAX = 100_000_000;
const tokens = (what: string) => z.number(`Give ${what} as a whole number`).int(`Give ${what} as a whole number`).min(0).max(TOKENS_MAX);
const money = (what: string) => z.string(`Give ${what} as a decimal string such as "0.25"`).regex(MONEY_PATTERN, `Give ${what} as a decimal string such as "0.25" (at most 6 decimals)`);

export const modelNameSchema = safeText({ max: 200 }).min(1, "Give the model's name").describe("The model as priced in the workspace's price table, e.g. gpt-4o.");

export const authorizeSpendBodySchema = z
  .strictObject({
    model: modelNameSchema,
    input_tokens: tokens("input_tokens").optional().describe("Tokens sent to the model."),
    max_output_tokens: tokens("max_output_tokens").optional().describe("The call's output limit: the worst case is held."),
    estimated_cost: money("estimated_cost").optional().describe("An explicit worst-case cost in dollars, instead of tokens (required for an unpriced model the agent allows)."),
  })
  .refine((b) => b.estimated_cost !== undefined || (b.input_tokens !== undefined && b.max_output_tokens !== undefined), {
    message: "Give input_tokens and max_output_tokens, or estimated_cost",
    path: ["max_output_tokens"],
  });
export type AuthorizeSpendBody = z.output<typeof authorizeSpendBodySchema>;

export const captureHoldBodySchema = z
  .strictObject({
    input_tokens: tokens("input_tokens").optional().describe("Input tokens actually billed (default: those authorized)."),
    output_tokens: tokens("output_tokens").optional().describe("Output tokens actually billed."),
    cost: money("cost").optional().describe("The actual cost in dollars, instead of tokens."),
  })
  .refine((b) => b.cost !== undefined || b.output_tokens !== undefined, { message: "Give output_tokens or cost", path: ["output_tokens"] });
export type CaptureHoldBody = z.output<typeof captureHoldBodySchema>;

export const voidHoldBodySchema = z.strictObject({});

export const agentParamsSchema = z.object({ agent: z.uuid() });
export const authorizationParamsSchema = z.object({ id: z.uuid() });

export const authorizationSchema = z.object({
  id: z.uuid().describe("The hold's id: capture or void it with this."),
  held: z.string().describe("The worst-case cost held, in dollars."),
  remaining: z.string().describe("What is left of the agent's cap today after this hold, in dollars."),
  resets_at: z.string().describe("The next midnight in the agent's time zone (ISO 8601)."),
});

export const settlementSchema = z.object({
  id: z.uuid(),
  state: z.enum(["captured", "voided", "expired"]).describe("captured: charged the actual cost; voided: released; expired: not settled in 10 minutes, charged at the held amount."),
  held: z.string().describe("The amount that was held, in dollars."),
  charged: z.string().describe("The amount charged to the day the hold was taken, in dollars."),
  day: z.string().describe("The agent's day (its time zone) the charge belongs to, YYYY-MM-DD."),
});
export type Settlement = z.output<typeof settlementSchema>;
