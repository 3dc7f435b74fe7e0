// Not "server-only": the server process's maintenance timer runs it outside Next
// (lib/maintenance/run-maintenance.ts), as the application role.
import { withSystem } from "../db/system";
import { withWorkspace } from "../db/with-workspace";
import { expireHolds } from "./expire-holds";

/**
 * Charges every hold left unsettled past its 10 minutes at its held amount, in
 * every workspace. Authorizing, capturing or voiding already expire an agent's
 * overdue holds on the way; this pass is for the agents nobody calls again, so
 * their day shows spent what was spent and no hold lingers as held. Each agent's
 * expiry is expireHolds's one conditional statement: racing a capture, either
 * settles the hold once.
 */
export async function sweepExpiredHolds(): Promise<{ workspaces: number; expired: number; failed: { workspaceId: string; error: unknown }[] }> {
  const workspaces = await withSystem((tx) => tx.$queryRaw<{ id: string }[]>`SELECT w::text AS id FROM public.workspaces_with_expired_holds() AS w`);
  let expired = 0;
  // One workspace whose rows refuse the charge (a constraint) must not keep the
  // others' holds held: each is its own transaction, and its failure is reported.
  const failed: { workspaceId: string; error: unknown }[] = [];
  for (const { id: workspaceId } of workspaces) {
    try {
      expired += await withWorkspace(workspaceId, async (tx) => {
        const agents = await tx.$queryRaw<{ agent_id: string }[]>`
          SELECT DISTINCT agent_id::text FROM spend_holds
           WHERE workspace_id = ${workspaceId}::uuid AND state = 'held' AND expires_at <= now() ORDER BY 1`;
        let count = 0;
        for (const { agent_id: agentId } of agents) count += await expireHolds(tx, { workspaceId, agentId });
        return count;
      });
    } catch (error) {
      failed.push({ workspaceId, error });
    }
  }
  return { workspaces: workspaces.length, expired, failed };
}
