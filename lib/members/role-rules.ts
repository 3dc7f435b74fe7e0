import { AppError } from "../errors";
import type { Role } from "../generated/prisma/enums";
import type { Tx } from "../db/with-workspace";
import { ROLE_RANK } from "../authz/capabilities";

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

/** The last owner cannot be demoted, removed or leave: the workspace would be unmanageable. */
export async function assertNotLastOwner(tx: Tx, workspaceId: string, userId: string): Promise<void> {
  const owners = await tx.membership.findMany({ where: { workspaceId, role: "owner" }, select: { userId: true } });
  if (owners.length === 1 && owners[0].userId === userId) {
    throw new AppError("conflict", "This is the workspace's last owner. Make someone else an owner first.");
  }
}

export const SENSITIVE_ROLES: Role[] = ["owner", "admin"];
