import { z } from "zod";
import { safeText } from "../validation/safe-input";
import { slugSchema } from "../setup/schemas";
import { timeZoneSchema } from "../agents/schemas";
import { PII_KINDS, type PiiKind } from "../redaction/pii-kinds";

export { slugSchema, timeZoneSchema };

export const WORKSPACE_NAME_MAX = 100;
/** The retention floor: a month of events is always kept (a CHECK in the migration holds it too). */
export const RETENTION_MIN_DAYS = 30;
export const RETENTION_MAX_DAYS = 36_500;

export { PII_KINDS, type PiiKind };

export const PII_KIND_LABELS: Record<PiiKind, string> = {
  email: "Email addresses",
  ssn: "US Social Security numbers",
  phone: "Phone numbers (E.164 and US formats)",
  card: "Payment card numbers (only those passing the Luhn check)",
};

// Checkboxes arrive as nothing, one value or several.
const asList = (value: unknown) => (value === undefined || value === "" ? [] : Array.isArray(value) ? value : [value]);

export const workspaceNameSchema = safeText({ max: WORKSPACE_NAME_MAX, message: "Name your workspace" }).min(1, "Name your workspace");

export const createWorkspaceSchema = z.object({
  name: workspaceNameSchema,
  slug: slugSchema,
  timeZone: timeZoneSchema,
});
export type CreateWorkspaceInput = z.output<typeof createWorkspaceSchema>;

export const renameWorkspaceSchema = z.object({ name: workspaceNameSchema });
export const changeWorkspaceSlugSchema = z.object({ slug: slugSchema });
export const setWorkspaceTimeZoneSchema = z.object({ timeZone: timeZoneSchema });

const emptyAsMissing = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);

/**
 * "Keep forever", or "delete events older than N days" with N a whole number from
 * 30 to 36500. The days are read only with "days" chosen (auditRetentionDays says
 * which value to store); a plain object, so the action wrapper can add its field.
 */
export const setAuditRetentionSchema = z.object({
  retention: z.enum(["forever", "days"], "Choose how long to keep audit events"),
  retentionDays: z.preprocess(
    emptyAsMissing,
    z
      .string()
      .regex(/^\s*\d{1,6}\s*$/, "Enter a whole number of days")
      .transform(Number)
      .refine((days) => days >= RETENTION_MIN_DAYS && days <= RETENTION_MAX_DAYS, `Keep events at least ${RETENTION_MIN_DAYS} and at most ${RETENTION_MAX_DAYS} days`)
      .optional(),
  ),
});

/** The value stored for a valid retention form: null keeps events forever. */
export function auditRetentionDays(input: z.output<typeof setAuditRetentionSchema>): number | null | "missing" {
  if (input.retention === "forever") return null;
  return input.retentionDays ?? "missing";
}

export const setPiiRedactionSchema = z.object({
  pii: z.preprocess(asList, z.array(z.enum(PII_KINDS, "Unknown kind of personal data"))).transform((kinds) => PII_KINDS.filter((k) => kinds.includes(k))),
});
