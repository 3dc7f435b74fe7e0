import { apiRoute } from "@/lib/api/api-route";
import { API_V1 } from "@/lib/api/v1-routes";
import { settleHold } from "@/lib/spend/settle-hold";

export const dynamic = "force-dynamic";

export const POST = apiRoute(API_V1.voidAuthorization, ({ tx, key, actor, context, params }) =>
  settleHold(tx, { workspaceId: key.workspaceId, holdId: params.id, boundAgentId: key.agentId, capture: null, actor, context }),
);
