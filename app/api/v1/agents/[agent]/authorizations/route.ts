import { apiRoute } from "@/lib/api/api-route";
import { API_V1 } from "@/lib/api/v1-routes";
import { authorizeSpend } from "@/lib/spend/authorize-spend";
import { recordSpendAuthorization } from "@/lib/metrics/record-spend-authorization";
import { spendOutcome } from "@/lib/metrics/spend-outcome";

export const dynamic = "force-dynamic";

// onKey learns the key's workspace, for the metric's optional workspace label.
const authorize = (onKey: (workspaceId: string) => void) =>
  apiRoute(API_V1.authorizeSpend, ({ input, tx, key, actor, context, params, idempotencyKey }) => {
    onKey(key.workspaceId);
    return authorizeSpend(tx, { workspaceId: key.workspaceId, agentId: params.agent, keyId: key.id, boundAgentId: key.agentId, idempotencyKey: idempotencyKey!, input, actor, context });
  });

// Counted after apiRoute has committed and answered: warden_spend_authorizations_total{outcome}.
export async function POST(...args: Parameters<ReturnType<typeof authorize>>): Promise<Response> {
  let workspaceId: string | null = null;
  const response = await authorize((id) => (workspaceId = id))(...args);
  recordSpendAuthorization(await spendOutcome(response), workspaceId);
  return response;
}
