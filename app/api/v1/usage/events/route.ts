import { apiRoute } from "@/lib/api/api-route";
import { API_V1 } from "@/lib/api/v1-routes";
import { recordUsageMetrics } from "@/lib/metrics/record-usage-metrics";
import { redactUsageEvents } from "@/lib/redaction/redact-usage-events";
import { ingestUsageEvents, type IngestedCounts } from "@/lib/usage/ingest-usage-events";

export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  // The counters move only once the transaction has committed: a rolled-back batch counted nothing.
  let counted: { counts: IngestedCounts; workspaceId: string } | undefined;
  const response = await apiRoute(API_V1.ingestUsageEvents, async ({ input, tx, key, actor, context, redaction }) => {
    const events = redactUsageEvents(input.events, redaction);
    const result = await ingestUsageEvents(tx, { workspaceId: key.workspaceId, boundAgentId: key.agentId, events, actor, context });
    counted = { counts: result.counts, workspaceId: key.workspaceId };
    return { accepted: result.accepted, duplicates: result.duplicates, captured: result.captured };
  })(request);
  if (response.ok && counted) recordUsageMetrics(counted.counts, counted.workspaceId);
  return response;
}
