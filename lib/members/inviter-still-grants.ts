import type { Tx } from "../db/with-workspace";
import type { Role } from "../generated/prisma/enums";
import { can, ROLE_RANK } from "../authz/capabilities";

/**
 * An invitation carries its inviter's authority, like an API key its creator's:
 * it works only while the inviter is still a member who may invite and may grant
 * its role. An inviter removed, demoted below the role, or whose account is gone
 * (null) suspends it.
 */
export function inviterStillGrants(inviterRole: Role | null | undefined, role: Role): boolean {
  return Boolean(inviterRole) && can(inviterRole!, "members.invite") && ROLE_RANK[role] <= ROLE_RANK[inviterRole!];
}

/** The inviter's role as the accepting transaction sees it, held FOR SHARE until it commits. */
export async function lockInviterRole(tx: Tx, workspaceId: string, inviterId: string | null): Promise<Role | null> {
  if (!inviterId) return null;
  const rows = await tx.$queryRaw<{ role: Role }[]>`
    SELECT role FROM memberships WHERE workspace_id = ${workspaceId}::uuid AND user_id = ${inviterId}::uuid FOR SHARE`;
  return rows[0]?.role ?? null;
}
