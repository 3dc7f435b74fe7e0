import { AppError } from "../errors";
import type { Role } from "../generated/prisma/enums";
import type { Tx } from "../db/with-workspace";
import { ROLE_RANK } from "../authz/capabilities";
import { serializeMemberChanges } from "./serialize-member-changes";

// The cross-role rules the capability table cannot express.

/** Nobody grants a role above their own. */
export function assertMayGrant(actorRole: Role, role: Role): void {
  if (ROLE_RANK[role] > ROLE_RANK[actorRole]) {
    throw new AppError("forbidden", `Your role (${actorRole}) cannot grant the ${role} role.`);
  }
}

/** Admins manage people, but not owners. */
export function assertMayManage(actorRole: Role, targetRole: Role): void {
  if (targetRole === "owner" && actorRole !== "owner") {
    throw new AppError("forbidden", "Only an owner can change or remove an owner.");
  }
}

/**
 * The last owner cannot be demoted, removed or leave: the workspace would be
 * unmanageable. Counted under serializeMemberChanges, so two owners leaving at
 * once see each other's departure; the memberships_keep_an_owner trigger refuses
 * the commit should any path skip this.
 */
export async function assertNotLastOwner(tx: Tx, workspaceId: string, userId: string): Promise<void> {
  await serializeMemberChanges(tx, workspaceId);
  const owners = await tx.membership.findMany({ where: { workspaceId, role: "owner" }, select: { userId: true } });
  if (owners.every((owner) => owner.userId === userId)) {
    throw new AppError("conflict", "This is the workspace's last owner. Make someone else an owner first.");
  }
}

/**
 * Unlocking lifts brute-force protection on an account, and the lock is
 * instance-wide: the actor may unlock only someone whose highest role in any
 * workspace is not above their own (an admin never unlocks an owner).
 */
export function assertMayUnlock(actorRole: Role, targetRoles: readonly Role[]): void {
  if (targetRoles.some((role) => ROLE_RANK[role] > ROLE_RANK[actorRole])) {
    throw new AppError("forbidden", `Your role (${actorRole}) cannot unlock someone who holds a higher role in a workspace.`);
  }
}

export const SENSITIVE_ROLES: Role[] = ["owner", "admin"];
