import { apiRoute } from "@/lib/api/api-route";
import { API_V1 } from "@/lib/api/v1-routes";
import { authorizeSpend } from "@/lib/spend/authorize-spend";

export const dynamic = "force-dynamic";

export const POST = apiRoute(API_V1.authorizeSpend, ({ input, tx, key, actor, context, params, idempotencyKey }) =>
  authorizeSpend(tx, { workspaceId: key.workspaceId, agentId: params.agent, keyId: key.id, idempotencyKey: idempotencyKey!, input, actor, context }),
);
