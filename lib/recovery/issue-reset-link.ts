import { AppError } from "../errors";
import type { Tx } from "../db/with-workspace";
import type { RequestContext } from "../http/request-context";
import { recordAuditEvent, type AuditActor } from "../audit/record-audit-event";
import { mfaRequiredFor } from "../mfa/mfa-policy";
import { assertMayRecover } from "./assert-may-recover";
import { createResetLink } from "./create-reset-link";

/** What happens to the person's MFA when the link is used, for the issuer to read. */
export type MfaOutcome = "none" | "kept" | "cleared" | "cleared_must_enroll";

type Options = {
  workspaceId: string;
  userId: string;
  clearMfa: boolean;
  actor: AuditActor & { type: "user" };
  context: RequestContext;
};

/**
 * An owner or admin issues a one-time, 1-hour reset link for a member who lost
 * their password or authenticator. The token is returned once; only its hash is
 * stored, and the audit event names the link's id, never the token. MFA is
 * cleared (when the link is used) only if the issuer asked. Where a workspace's
 * policy requires MFA of the member, clearing is allowed, but they can do nothing
 * there until they enroll again at their next sign-in (the policy gate does it).
 */
export async function issueResetLink(tx: Tx, options: Options) {
  const { workspaceId, userId } = options;
  const member = await tx.membership.findFirst({ where: { workspaceId, userId }, select: { user: { select: { email: true, mfaEnabledAt: true } } } });
  if (!member) throw new AppError("not_found", "That person is not a member of this workspace.");
  const memberships = await assertMayRecover(tx, { issuerId: options.actor.id, userId });
  const hasMfa = Boolean(member.user.mfaEnabledAt);
  const clearMfa = options.clearMfa && hasMfa;
  const mustEnroll = memberships.some((m) => mfaRequiredFor(m.workspace.mfaPolicy, m.role));
  const mfa: MfaOutcome = !hasMfa ? "none" : !clearMfa ? "kept" : mustEnroll ? "cleared_must_enroll" : "cleared";

  const link = await createResetLink(tx, { userId, workspaceId, issuedById: options.actor.id, clearMfa });
  await recordAuditEvent(tx, {
    workspaceId,
    actor: options.actor,
    action: "member.reset_link_issued",
    target: { type: "user", id: userId },
    metadata: { email: member.user.email, resetId: link.resetId, clearMfa, expiresAt: link.expiresAt.toISOString(), previousLinksRevoked: link.revokedPrevious },
    context: options.context,
  });
  return { email: member.user.email, token: link.token, resetId: link.resetId, expiresAt: link.expiresAt, mfa };
}
