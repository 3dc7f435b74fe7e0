import { z } from "zod";
import { safeText, uuidId } from "../validation/safe-input";
import { PLATFORM_AUDIT_ACTIONS } from "./audit-actions";

export const PLATFORM_AUDIT_EVENTS_MAX = 100;
const METADATA_KEYS_MAX = 20;
const RESERVED_KEYS = ["agent_id", "agent_name"];
/** The metadata of one event, as JSON: enough for names, versions and ids, never a payload. */
export const PLATFORM_METADATA_MAX_BYTES = 2_048;

// Flat values only: a nested object could hide a credential from the writer's key-based redaction.
const metadataValue = z.union([safeText({ max: 500 }), z.number().finite(), z.boolean(), z.null()], "Use a string, number, boolean or null");

export const platformAuditEventSchema = z.strictObject({
  action: z.enum(PLATFORM_AUDIT_ACTIONS, `Use one of ${PLATFORM_AUDIT_ACTIONS.join(", ")}`),
  agent: uuidId("Give the agent's id (a UUID)").optional(),
  metadata: z
    .record(
      safeText({ max: 64 })
        .regex(/^[a-z][a-z0-9_]*$/, "Use snake_case keys")
        // Warden writes the agent itself, from the key or the event's agent: the runtime cannot name another.
        .refine((key) => !RESERVED_KEYS.includes(key), "agent_id and agent_name are Warden's: give the agent as the event's agent"),
      metadataValue,
    )
    .refine((m) => Object.keys(m).length <= METADATA_KEYS_MAX, `Use at most ${METADATA_KEYS_MAX} keys`)
    .refine((m) => Buffer.byteLength(JSON.stringify(m)) <= PLATFORM_METADATA_MAX_BYTES, `Keep the metadata under ${PLATFORM_METADATA_MAX_BYTES} bytes of JSON`)
    .optional(),
});

export const platformAuditBodySchema = z.strictObject({
  events: z.array(platformAuditEventSchema, "Give a list of events").min(1, "Give at least one event").max(PLATFORM_AUDIT_EVENTS_MAX, `Send at most ${PLATFORM_AUDIT_EVENTS_MAX} events per request`),
});

export const platformAuditResponseSchema = z.object({ recorded: z.int().describe("Events appended to the audit log.") });
