import { AppError } from "../errors";
import type { Tx } from "../db/with-workspace";
import type { RequestContext } from "../http/request-context";
import { recordAuditEvent, type AuditActor } from "../audit/record-audit-event";

/** Lifts a member's sign-in lock early and clears their failure count. Only members of this workspace. */
export async function unlockMember(tx: Tx, options: { workspaceId: string; userId: string; actor: AuditActor; context: RequestContext }) {
  const membership = await tx.membership.findFirst({
    where: { workspaceId: options.workspaceId, userId: options.userId },
    select: { user: { select: { email: true, lockedUntil: true } } },
  });
  if (!membership) throw new AppError("not_found", "That person is not a member of this workspace.");
  if (!membership.user.lockedUntil || membership.user.lockedUntil <= new Date()) {
    throw new AppError("conflict", `${membership.user.email} is not locked.`);
  }
  await tx.user.update({ where: { id: options.userId }, data: { lockedUntil: null } });
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
