import { apiRoute } from "@/lib/api/api-route";
import { API_V1 } from "@/lib/api/v1-routes";
import { listAuditEvents } from "@/lib/audit/list-audit-events";

export const dynamic = "force-dynamic";

export const GET = apiRoute(API_V1.listAuditEvents, async ({ input, tx, key }) => {
  const { cursor, limit, ...filters } = input;
  const page = await listAuditEvents(tx, {
    workspaceId: key.workspaceId,
    filters,
    position: cursor ? { before: BigInt(cursor) } : undefined,
    limit,
  });
  return { data: page.events, next_cursor: page.olderCursor };
});
