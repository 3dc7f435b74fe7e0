import { z } from "zod";
import type { AppError } from "../errors";

export const apiErrorSchema = z.object({
  error: z.object({
    code: z
      .string()
      .describe("unauthenticated, forbidden, not_found, conflict, invalid_input, payment_required, unprocessable, payload_too_large, unsupported_media_type, rate_limited, unavailable or internal."),
    reason: z.string().optional().describe("A finer reason, e.g. api_key_revoked, api_key_expired, insufficient_scope, invalid_parameter, invalid_body, malformed_json, secret_unavailable."),
    message: z.string().describe("For people; do not parse."),
    parameter: z.string().optional().describe("The first query parameter or body field (a path such as names.2) that was refused."),
    errors: z.record(z.string(), z.array(z.string())).optional().describe("Every refused parameter or field with its messages."),
    remaining: z.string().optional().describe('Spend refusals: what is left of the agent\'s cap today, in dollars ("1.25").'),
    resets_at: z.string().optional().describe("Spend refusals: the next midnight in the agent's time zone (ISO 8601)."),
    max_affordable_output_tokens: z.number().int().optional().describe("request_exceeds_budget: the largest max_output_tokens that would be admitted now."),
    request_id: z.string().nullable().describe("Quote this when asking an operator about a failed request."),
  }),
});
export type ApiErrorBody = z.output<typeof apiErrorSchema>;

export function apiErrorBody(error: AppError, requestId: string | null): ApiErrorBody {
  return {
    error: {
      code: error.code,
      ...(error.reason && { reason: error.reason }),
      message: error.message,
      ...(error.fieldErrors && { parameter: Object.keys(error.fieldErrors)[0], errors: error.fieldErrors }),
      ...error.details,
      request_id: requestId,
    },
  };
}
