import { apiRoute } from "@/lib/api/api-route";
import { API_V1 } from "@/lib/api/v1-routes";
import { recordPlatformAuditEvents } from "@/lib/audit/record-platform-audit-events";

export const dynamic = "force-dynamic";

export const POST = apiRoute(API_V1.recordPlatformAuditEvents, async ({ input, tx, key, actor, context }) =>
  recordPlatformAuditEvents(tx, { workspaceId: key.workspaceId, keyId: key.id, actor, events: input.events, context }),
);
