import { apiRoute } from "@/lib/api/api-route";
import { API_V1 } from "@/lib/api/v1-routes";
import { getAuditHead } from "@/lib/audit/get-audit-head";

export const dynamic = "force-dynamic";

export const GET = apiRoute(API_V1.getAuditHead, async ({ tx, key }) => getAuditHead(tx, key.workspaceId));
