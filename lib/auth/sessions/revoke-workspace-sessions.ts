import type { Tx } from "../../db/with-workspace";
import type { RequestContext } from "../../http/request-context";
import { recordAuditEvent, type AuditActor } from "../../audit/record-audit-event";
import { recordSecurityNotice } from "../../notices/record-security-notice";

const liveSessionsOfMembers = (workspaceId: string, exceptSessionId: string) => ({
  user: { memberships: { some: { workspaceId } } },
  revokedAt: null,
  absoluteExpiresAt: { gt: new Date() },
  id: { not: exceptSessionId },
});

/** What "Revoke all sessions" would end, for its confirmation. */
export async function previewWorkspaceRevocation(tx: Tx, workspaceId: string, exceptSessionId: string) {
  const sessions = await tx.session.findMany({ where: liveSessionsOfMembers(workspaceId, exceptSessionId), select: { userId: true } });
  return { sessions: sessions.length, members: new Set(sessions.map((s) => s.userId)).size };
}

/**
 * Signs every member of the workspace out of every device (after a credential
 * leak or a departure), sparing only the session that asked, so its owner can
 * see the result. Runs in the caller's withWorkspace transaction.
 */
export async function revokeWorkspaceSessions(tx: Tx, options: { workspaceId: string; actor: AuditActor; exceptSessionId: string; context: RequestContext }) {
  const { workspaceId, exceptSessionId } = options;
  const preview = await previewWorkspaceRevocation(tx, workspaceId, exceptSessionId);
  const { count } = await tx.session.updateMany({
    where: liveSessionsOfMembers(workspaceId, exceptSessionId),
    data: { revokedAt: new Date(), revokedReason: "workspace_revoke_all" },
  });
  await recordSecurityNotice(tx, { workspaceId }, "sessions_revoked");
  await recordAuditEvent(tx, {
    workspaceId,
    actor: options.actor,
    action: "session.all_revoked",
    target: { type: "workspace", id: workspaceId },
    metadata: { sessionsEnded: count, membersAffected: preview.members },
    context: options.context,
  });
  return { sessionsEnded: count, membersAffected: preview.members };
}
