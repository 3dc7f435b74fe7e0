import "server-only";
import type { Tx } from "../db/with-workspace";

/**
 * Conversations started in the rolling 30 days up to `now`, from the events
 * themselves (exact to the instant, not to a day boundary); the
 * (workspace_id, type, occurred_at) index answers it.
 */
export async function countConversations30d(tx: Tx, options: { workspaceId: string; now: Date }): Promise<number> {
  const [row] = await tx.$queryRaw<{ count: number }[]>`
    SELECT count(*)::int AS count FROM usage_events
     WHERE workspace_id = ${options.workspaceId}::uuid AND type = 'conversation.started'
       AND occurred_at > ${options.now}::timestamptz - interval '30 days'`;
  return row?.count ?? 0;
}
