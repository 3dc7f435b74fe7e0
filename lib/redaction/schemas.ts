import { z } from "zod";
import { safeText } from "../validation/safe-input";
import { PII_KINDS } from "./redact-pii";

/** 1 MiB: a long prompt with its context, never a file upload. */
export const REDACT_BODY_MAX_BYTES = 1_048_576;

export const redactBodySchema = z.strictObject({
  text: safeText({ max: REDACT_BODY_MAX_BYTES, multiLine: true, trim: false }).describe("The text to redact (newlines and tabs kept)."),
});

export const redactResponseSchema = z.object({
  text: z.string().describe("The text with each match replaced by [REDACTED:<kind>]; everything else unchanged."),
  redacted: z.object(Object.fromEntries(PII_KINDS.map((kind) => [kind, z.int()])) as Record<(typeof PII_KINDS)[number], z.ZodInt>).describe("How many of each kind were replaced."),
  kinds: z.array(z.enum(PII_KINDS)).describe("The kinds redacted under the workspace's and the key's policy (empty: redaction is off and the text is returned as sent)."),
});

/** The kinds a key may be set to redact, as a form sends them. */
export const piiKindSchema = z.enum(PII_KINDS, `Use ${PII_KINDS.join(", ")}`);
