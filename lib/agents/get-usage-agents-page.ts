import "server-only";
import { withWorkspace } from "../db/with-workspace";
import { listModelPrices } from "../pricing/list-model-prices";
import { listAgents } from "./list-agents";

/** The Usage page's agents and model prices (the first view seeds the bundled prices). */
export function getUsageAgentsPage(workspaceId: string, now = new Date()) {
  return withWorkspace(workspaceId, async (tx) => {
    const [workspace] = await tx.$queryRaw<{ time_zone: string }[]>`SELECT time_zone FROM workspaces WHERE id = ${workspaceId}::uuid`;
    const agents = await listAgents(tx, workspaceId);
    const prices = await listModelPrices(tx, workspaceId, now.toISOString().slice(0, 10));
    return { agents, prices, workspaceTimeZone: workspace?.time_zone ?? "UTC" };
  });
}
