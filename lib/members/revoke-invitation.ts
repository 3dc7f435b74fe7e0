import { AppError } from "../errors";
import type { Tx } from "../db/with-workspace";
import { recordAuditEvent } from "../audit/record-audit-event";
import { type MemberChange } from "./member-change";

export async function revokeInvitation(tx: Tx, options: Omit<MemberChange, "actorRole" | "actorId"> & { invitationId: string }) {
  // One conditional UPDATE: of a revoke racing an accept (which claims the row the same way), exactly one changes it.
  const { count } = await tx.invitation.updateMany({
    where: { id: options.invitationId, workspaceId: options.workspaceId, acceptedAt: null, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (count === 0) throw new AppError("not_found", "That invitation was already used or revoked.");
  await recordAuditEvent(tx, {
    workspaceId: options.workspaceId,
    actor: options.actor,
    action: "member.invitation_revoked",
    context: options.context,
    target: { type: "invitation", id: options.invitationId },
  });
  return { revoked: true };
}
