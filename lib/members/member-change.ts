import { AppError } from "../errors";
import type { Tx } from "../db/with-workspace";
import type { RequestContext } from "../http/request-context";
import type { Role } from "../generated/prisma/enums";
import type { AuditActor } from "../audit/record-audit-event";

/** Who acts on a member, and where. */
export type MemberChange = { workspaceId: string; actorRole: Role; actorId: string; actor: AuditActor; context: RequestContext };

export async function targetMembership(tx: Tx, workspaceId: string, userId: string) {
  const found = await tx.membership.findFirst({ where: { workspaceId, userId }, select: { id: true, role: true, user: { select: { email: true } } } });
  if (!found) throw new AppError("not_found", "That person is not a member of this workspace.");
  return found;
}

// A new role is a change of privilege: the member's sessions get new tokens at their next request.
export const rotateSessionsOf = (tx: Tx, userId: string) => tx.session.updateMany({ where: { userId, revokedAt: null }, data: { rotatedAt: new Date(0) } });
