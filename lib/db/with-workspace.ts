import { getPrisma, type Tx } from "./client";

export type { Tx };

/**
 * The only way to reach workspace data: one interactive transaction whose first
 * statement sets the tenant context transaction-locally, so Row-Level Security
 * scopes every row and a pooled connection never carries it into another request.
 */
export async function withWorkspace<T>(workspaceId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  return getPrisma().$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT set_config('app.workspace_id', ${workspaceId}, true)`;
      return work(tx);
    },
    { timeout: 20_000, maxWait: 10_000 },
  );
}
