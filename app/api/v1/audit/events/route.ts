import { apiRoute } from "@/lib/api/api-route";
import { API_V1 } from "@/lib/api/v1-routes";
import { recordPlatformAuditEvents } from "@/lib/audit/record-platform-audit-events";
import { redactPlatformAuditEvents } from "@/lib/redaction/redact-platform-audit-events";

export const dynamic = "force-dynamic";

// Metadata strings are stored redacted under the workspace's and the key's PII policy.
export const POST = apiRoute(API_V1.recordPlatformAuditEvents, async ({ input, tx, key, actor, context, redaction }) =>
  recordPlatformAuditEvents(tx, { workspaceId: key.workspaceId, keyId: key.id, actor, events: redactPlatformAuditEvents(input.events, redaction), context }),
);
