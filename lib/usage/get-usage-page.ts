import "server-only";
import { withWorkspace } from "../db/with-workspace";
import { listAgents, type AgentRow } from "../agents/list-agents";
import { listModelPrices, type ModelPriceRow } from "../pricing/list-model-prices";
import { countConversations30d } from "./count-conversations-30d";
import { listAgentTrends, type TrendDay } from "./list-agent-trends";
import { listDailyUsage, type DailyUsage } from "./list-daily-usage";
import { listSpendByModel, type ModelSpend } from "./list-spend-by-model";
import { lastDays, USAGE_WINDOW_DAYS } from "./usage-window";

export type UsagePage = {
  workspaceTimeZone: string;
  agents: AgentRow[];
  /** Per agent id: its last 7 days of spend. */
  trends: Record<string, TrendDay[]>;
  prices: ModelPriceRow[];
  /** The workspace's last 30 days (its own zone), today included. */
  window: { from: string; to: string };
  conversations30d: number;
  daily: DailyUsage[];
  byModel: ModelSpend[];
};

/**
 * Everything the Usage page shows, read in one transaction so the agents, their
 * trends and the workspace's figures describe the same moment (the first view
 * also seeds the bundled prices).
 */
export function getUsagePage(options: { workspaceId: string; now?: Date }): Promise<UsagePage> {
  const { workspaceId } = options;
  const now = options.now ?? new Date();
  return withWorkspace(workspaceId, async (tx) => {
    const [workspace] = await tx.$queryRaw<{ time_zone: string }[]>`SELECT time_zone FROM workspaces WHERE id = ${workspaceId}::uuid`;
    const workspaceTimeZone = workspace?.time_zone ?? "UTC";
    const window = lastDays(workspaceTimeZone, USAGE_WINDOW_DAYS, now);
    const agents = await listAgents(tx, workspaceId);
    const trends = await listAgentTrends(tx, { workspaceId, now });
    const prices = await listModelPrices(tx, workspaceId, now.toISOString().slice(0, 10));
    const conversations30d = await countConversations30d(tx, { workspaceId, now });
    const daily = await listDailyUsage(tx, { workspaceId, ...window });
    const byModel = await listSpendByModel(tx, { workspaceId, ...window });
    return { workspaceTimeZone, agents, trends, prices, window, conversations30d, daily, byModel };
  });
}
