import "server-only";
import type { Tx } from "../db/with-workspace";
import { toMembership, type Membership, type MembershipRow } from "./membership";

/**
 * The caller's membership as the writing transaction sees it, held FOR SHARE
 * until it commits: a demotion or removal that races the action waits for it,
 * or, if it came first, is what the action sees. The role an action is
 * authorized with is the role it writes with.
 */
export async function lockMembership(tx: Tx, workspaceId: string, userId: string): Promise<Membership | null> {
  const rows = await tx.$queryRaw<MembershipRow[]>`
    SELECT m.role, w.id, w.slug, w.name, w.mfa_policy, w.step_up_required, w.step_up_window_minutes
    FROM memberships m JOIN workspaces w ON w.id = m.workspace_id
    WHERE m.workspace_id = ${workspaceId}::uuid AND m.user_id = ${userId}::uuid
    FOR SHARE OF m`;
  const row = rows[0];
  if (!row) return null;
  return toMembership(row);
}
