import { apiRoute } from "@/lib/api/api-route";
import { API_V1 } from "@/lib/api/v1-routes";
import { getWorkspaceUsage } from "@/lib/usage/get-workspace-usage";

export const dynamic = "force-dynamic";

export const GET = apiRoute(API_V1.getWorkspaceUsage, async ({ input, tx, key }) => getWorkspaceUsage(tx, { workspaceId: key.workspaceId, query: input }));
