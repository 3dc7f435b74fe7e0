import { z } from "zod";
import { AUDIT_ACTIONS } from "./audit-actions";
import { bigintPosition, safeDateTime, safeText, uuidId } from "../validation/safe-input";

// One set of audit filters for the page's URL, the export and GET /api/v1/audit;
// the OpenAPI document is generated from these same schemas.

export const AUDIT_RANGES = { "1h": 3_600_000, "24h": 86_400_000, "7d": 7 * 86_400_000, "30d": 30 * 86_400_000 } as const;
export type AuditRange = keyof typeof AUDIT_RANGES;

const UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
export const ACTOR_PATTERN = new RegExp(`^(user|api_key):${UUID}$`);

const filterFields = {
  actor: z.string().regex(ACTOR_PATTERN, "Use user:<id> or api_key:<id>").optional().describe("Only events by this actor: `user:<uuid>` (a member) or `api_key:<uuid>`."),
  action: z.array(z.enum(AUDIT_ACTIONS, "Unknown action")).max(AUDIT_ACTIONS.length).optional().describe("Only these actions; repeat the parameter to combine several (`action=a&action=b`)."),
  target_type: z
    .string()
    .regex(/^[a-z_]{1,64}$/, "Use a target type such as user, workspace, session or api_key")
    .optional()
    .describe("Only events about targets of this type (user, workspace, session, invitation, api_key…)."),
  target_id: safeText({ max: 200, trim: false, message: "Give one target id" })
    .min(1, "Give a target id or leave the parameter out")
    .optional()
    .describe("Only events about this target id; combine with target_type."),
  range: z
    .enum(Object.keys(AUDIT_RANGES) as [AuditRange, ...AuditRange[]], "Use 1h, 24h, 7d or 30d")
    .optional()
    .describe("A period ending now. Cannot be combined with from/to."),
  from: safeDateTime("Use an ISO 8601 date-time, e.g. 2026-11-22T09:00:00Z").optional().describe("Events at or after this instant (1970–9999)."),
  to: safeDateTime("Use an ISO 8601 date-time, e.g. 2026-11-22T18:00:00Z").optional().describe("Events before this instant (1970–9999)."),
};

type FilterShape = { [K in keyof typeof filterFields]: z.output<(typeof filterFields)[K]> };

function checkFilters(value: Partial<FilterShape>, ctx: z.RefinementCtx) {
  if (value.range && (value.from || value.to)) {
    ctx.addIssue({ code: "custom", path: ["range"], message: "Use either range or from/to, not both" });
  }
  if (value.from && value.to && Date.parse(value.from) >= Date.parse(value.to)) {
    ctx.addIssue({ code: "custom", path: ["to"], message: "Must be later than from" });
  }
  if (value.target_id && !value.target_type) {
    ctx.addIssue({ code: "custom", path: ["target_type"], message: "Give the target type with a target id" });
  }
}

const cursorField = (description: string) => bigintPosition("Not a cursor from this API").optional().describe(description);

export const auditFilterSchema = z.object(filterFields).superRefine(checkFilters);
export type AuditFilters = z.output<typeof auditFilterSchema>;

/** The console page: filters plus keyset position in either direction. */
export const auditPageQuerySchema = z
  .object({
    ...filterFields,
    before: cursorField("Show events older than this position."),
    after: cursorField("Show events newer than this position."),
    event: uuidId("Not an event id").optional().describe("The event whose details are open."),
  })
  .superRefine(checkFilters);

export const auditApiQuerySchema = z
  .object({
    ...filterFields,
    cursor: cursorField("The next_cursor of the previous page; omit for the newest events."),
    limit: z.coerce.number("Use a whole number").int("Use a whole number").min(1, "At least 1").max(200, "At most 200").default(50).describe("Events per page (1–200)."),
  })
  .superRefine(checkFilters);

export const auditExportQuerySchema = z.object({ ...filterFields, format: z.enum(["csv", "jsonl"], "Use csv or jsonl").describe("csv or jsonl") }).superRefine(checkFilters);

export const auditEventSchema = z.object({
  id: z.uuid(),
  seq: z.string().describe("Position in the workspace's hash chain, 1 for the first event."),
  occurred_at: z.iso.datetime().describe("UTC."),
  actor: z.object({
    type: z.enum(["user", "api_key", "system"]),
    id: z.string().nullable(),
    label: z.string().nullable(),
  }),
  action: z.string(),
  target: z.object({ type: z.string(), id: z.string().nullable() }).nullable(),
  ip: z.string().nullable(),
  user_agent: z.string().nullable(),
  request_id: z.string().nullable().describe("The id the server gave the request that caused the event."),
  client_request_id: z.string().nullable().describe("The X-Request-Id the client sent, if any: its own label, never trusted as the request's id."),
  metadata: z.record(z.string(), z.unknown()),
  prev_hash: z.string().describe("Hash of the previous event in the chain (64 zeros for the first)."),
  hash: z.string().describe("HMAC-SHA256, under the key named by key_id, over the previous hash and this event's canonical encoding."),
  key_id: z.string().nullable().describe("Id of the server's chain key the hash was computed with (null only for an earlier version's event not yet re-keyed)."),
});
export type AuditEventView = z.output<typeof auditEventSchema>;

export const auditPageSchema = z.object({
  data: z.array(auditEventSchema),
  next_cursor: z.string().nullable().describe("Pass as cursor to get the next (older) page; null on the last page."),
});
