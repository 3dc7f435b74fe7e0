import { AppError } from "../errors";
import type { Tx } from "../db/with-workspace";
import type { RequestContext } from "../http/request-context";
import type { Role } from "../generated/prisma/enums";
import { recordAuditEvent, type AuditActor } from "../audit/record-audit-event";
import { generateSessionToken, hashToken } from "../auth/session-token";
import { assertMayGrant } from "./role-rules";
import { INVITATION_TTL_MS } from "./invite-member";

const GONE = "That invitation was already used or revoked. Send a new one if it is still wanted.";

type Options = {
  workspaceId: string;
  invitationId: string;
  actorRole: Role;
  actor: AuditActor & { id: string };
  context: RequestContext;
  /** Runs once the invitation's role is known, before anything changes (the action's fresh-MFA rule). */
  beforeIssue?: (role: Role) => void;
};

/**
 * A new link for a pending invitation: only the token's hash is stored, so the
 * old link cannot be shown again. The new token replaces the old one's hash, so
 * the old link stops working; the invitation runs for another 7 days and now
 * carries the resender's authority (they sent the link in use).
 */
export async function resendInvitation(tx: Tx, options: Options) {
  const { workspaceId, invitationId } = options;
  const found = await tx.invitation.findFirst({ where: { id: invitationId, workspaceId }, select: { email: true, role: true } });
  if (!found) throw new AppError("not_found", GONE);
  // An invitation's role never changes, so it is safe to check before the UPDATE.
  assertMayGrant(options.actorRole, found.role);
  options.beforeIssue?.(found.role);

  const token = generateSessionToken();
  const expiresAt = new Date(Date.now() + INVITATION_TTL_MS);
  // One conditional UPDATE: of a resend racing an accept or a revoke (which claim
  // the row the same way), exactly one changes it. An accept that comes second
  // looks for the old hash and finds nothing.
  const { count } = await tx.invitation.updateMany({
    where: { id: invitationId, workspaceId, acceptedAt: null, revokedAt: null },
    data: { tokenHash: hashToken(token), expiresAt, invitedById: options.actor.id },
  });
  if (count === 0) throw new AppError("not_found", GONE);
  await recordAuditEvent(tx, {
    workspaceId,
    actor: options.actor,
    action: "member.invitation_resent",
    context: options.context,
    target: { type: "invitation", id: invitationId },
    metadata: { email: found.email, role: found.role, expiresAt: expiresAt.toISOString() },
  });
  return { invitationId, email: found.email, role: found.role, token, expiresAt };
}
