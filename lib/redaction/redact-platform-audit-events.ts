import type { z } from "zod";
import type { platformAuditEventSchema } from "../audit/platform-audit-schemas";
import { redactText, type PiiKind } from "./redact-pii";

type PlatformEvent = z.output<typeof platformAuditEventSchema>;

/** The runtime's audit events with every string value of their metadata redacted under the policy (keys are snake_case names, kept). */
export function redactPlatformAuditEvents(events: PlatformEvent[], kinds: readonly PiiKind[]): PlatformEvent[] {
  if (kinds.length === 0) return events;
  return events.map((event) =>
    event.metadata === undefined
      ? event
      : { ...event, metadata: Object.fromEntries(Object.entries(event.metadata).map(([key, value]) => [key, typeof value === "string" ? redactText(value, kinds) : value])) },
  );
}
