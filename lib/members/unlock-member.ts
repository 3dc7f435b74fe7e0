import { AppError } from "../errors";
import type { Tx } from "../db/with-workspace";
import type { Role } from "../generated/prisma/enums";
import type { RequestContext } from "../http/request-context";
import { recordAuditEvent, type AuditActor } from "../audit/record-audit-event";
import { assertMayUnlock } from "./role-rules";

/**
 * The target's roles in every workspace. The lock is on the account, not the
 * membership, so whether the actor outranks the target is decided on all of
 * them: the user's own-rows policy is opened for the target for this one read,
 * in the writing transaction, and closed again.
 */
async function rolesEverywhere(tx: Tx, workspaceId: string, userId: string): Promise<Role[]> {
  await tx.$executeRaw`SELECT set_config('app.user_id', ${userId}, true)`;
  const rows = await tx.membership.findMany({ where: { userId }, select: { workspaceId: true, role: true } });
  await tx.$executeRaw`SELECT set_config('app.user_id', '', true)`;
  // Fail closed: should the policy not show the target's rows, their membership here is missing too.
  if (!rows.some((row) => row.workspaceId === workspaceId)) throw new AppError("not_found", "That person is not a member of this workspace.");
  return rows.map((row) => row.role);
}

/** Lifts a member's sign-in lock early and clears their failure count, within the role rules. */
export async function unlockMember(tx: Tx, options: { workspaceId: string; userId: string; actorRole: Role; actor: AuditActor; context: RequestContext }) {
  const membership = await tx.membership.findFirst({
    where: { workspaceId: options.workspaceId, userId: options.userId },
    select: { user: { select: { email: true } } },
  });
  if (!membership) throw new AppError("not_found", "That person is not a member of this workspace.");
  assertMayUnlock(options.actorRole, await rolesEverywhere(tx, options.workspaceId, options.userId));
  // locked_until > now() in the where: an expired lock, or one lifted meanwhile, is not "unlocked" again.
  const { count } = await tx.user.updateMany({ where: { id: options.userId, lockedUntil: { gt: new Date() } }, data: { lockedUntil: null } });
  if (count === 0) throw new AppError("conflict", `${membership.user.email} is not locked.`);
  await tx.signInFailure.deleteMany({ where: { userId: options.userId } });
  await recordAuditEvent(tx, {
    workspaceId: options.workspaceId,
    actor: options.actor,
    action: "auth.account_unlocked",
    target: { type: "user", id: options.userId },
    metadata: { automatic: false, email: membership.user.email },
    context: options.context,
  });
  return { email: membership.user.email };
}
