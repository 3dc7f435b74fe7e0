import { getPrisma, type Tx } from "./client";
import { translateCommitRefusal } from "./commit-refusal";
import { runCommitting } from "./after-commit";

export type { Tx };

/**
 * The only way to reach workspace data: one interactive transaction whose first
 * statement sets the tenant context transaction-locally, so Row-Level Security
 * scopes every row and a pooled connection never carries it into another request.
 * A refusal the database makes at COMMIT (a deferred trigger) becomes the
 * AppError a person can act on here, once, rather than in every action. Work
 * queued with afterCommit (email) runs only once the transaction has committed.
 */
export async function withWorkspace<T>(workspaceId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return await runCommitting(() =>
      getPrisma().$transaction(
        async (tx) => {
          await tx.$queryRaw`SELECT set_config('app.workspace_id', ${workspaceId}, true)`;
          return work(tx);
        },
        { timeout: 20_000, maxWait: 10_000 },
      ),
    );
  } catch (error) {
    throw translateCommitRefusal(error);
  }
}
