import type { Tx } from "../db/with-workspace";

/**
 * Changes to a workspace's people (roles, removals, leaving, transfers) run one
 * at a time per workspace: each takes this transaction-scoped lock before it
 * reads anyone's role, so "is this the last owner?" and "may this actor manage
 * that member?" are answered on what the commit will see. The same lock is taken
 * by the memberships_keep_an_owner trigger (migration 20261123040000), which
 * refuses any commit that leaves a workspace without an owner.
 *
 * A lock on the workspace, not on its owner rows: every action holds its actor's
 * membership FOR SHARE, and two owners demoting each other would otherwise each
 * wait for the other's row.
 */
export async function serializeMemberChanges(tx: Tx, workspaceId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended('warden.members:' || ${workspaceId}::uuid::text, 0))`;
}
