import { AppError } from "../errors";
import { withWorkspace } from "../db/with-workspace";
import type { Tx } from "../db/with-workspace";
import type { RequestContext } from "../http/request-context";
import { recordAuditEvent, userActor } from "../audit/record-audit-event";
import { hashToken } from "../auth/session-token";
import { hashPassword } from "../auth/password";
import { passwordProblem } from "../auth/password-rules";
import { createSession } from "../auth/sessions/create-session";
import type { ValidSession } from "../auth/sessions/check-session";

const GONE = "This invitation is no longer valid: it was used, revoked or has expired. Ask for a new one.";

export function parseInvitationLink(value: string): { workspaceId: string; token: string } | null {
  const match = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/.exec(value);
  return match ? { workspaceId: match[1], token: match[2] } : null;
}

async function openInvitation(tx: Tx, workspaceId: string, token: string) {
  const invitation = await tx.invitation.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { workspace: { select: { name: true, slug: true } } },
  });
  if (!invitation || invitation.workspaceId !== workspaceId || invitation.acceptedAt || invitation.revokedAt || invitation.expiresAt <= new Date()) return null;
  return invitation;
}

/** What the invitation page shows: the workspace, role and address, and whether that address has an account. */
export async function describeInvitation(link: string) {
  const parsed = parseInvitationLink(link);
  if (!parsed) return null;
  return withWorkspace(parsed.workspaceId, async (tx) => {
    const invitation = await openInvitation(tx, parsed.workspaceId, parsed.token);
    if (!invitation) return null;
    const account = await tx.user.findUnique({ where: { email: invitation.email }, select: { id: true } });
    return { email: invitation.email, role: invitation.role, workspace: invitation.workspace, hasAccount: Boolean(account) };
  });
}

type Accept =
  | { link: string; context: RequestContext; session: ValidSession }
  | { link: string; context: RequestContext; newAccount: { name: string; password: string } };

/**
 * Joins the workspace: a signed-in user whose email is the invited one, or a new
 * account created with the invited email. The token is spent in the same
 * transaction, so a link works once.
 */
export async function acceptInvitation(options: Accept) {
  const parsed = parseInvitationLink(options.link);
  if (!parsed) throw new AppError("not_found", GONE);
  const newAccount = "newAccount" in options ? options.newAccount : null;
  const passwordHash = newAccount ? await hashPassword(newAccount.password) : null;

  return withWorkspace(parsed.workspaceId, async (tx) => {
    const invitation = await openInvitation(tx, parsed.workspaceId, parsed.token);
    if (!invitation) throw new AppError("not_found", GONE);
    let userId: string;
    let sessionToken: string | null = null;
    if (newAccount) {
      const problem = passwordProblem(newAccount.password, invitation.email);
      if (problem) throw new AppError("invalid_input", "Check the highlighted fields.", { password: [problem] });
      if (await tx.user.findUnique({ where: { email: invitation.email }, select: { id: true } })) {
        throw new AppError("conflict", `An account for ${invitation.email} exists. Sign in as it to accept.`);
      }
      const user = await tx.user.create({ data: { email: invitation.email, name: newAccount.name, passwordHash: passwordHash! } });
      userId = user.id;
      sessionToken = (await createSession(tx, { userId, context: options.context })).token;
    } else {
      const { session } = options as Extract<Accept, { session: ValidSession }>;
      if (session.user.email !== invitation.email) {
        throw new AppError("forbidden", `This invitation is for ${invitation.email}. Sign in as that address to accept it.`);
      }
      userId = session.user.id;
    }
    if (await tx.membership.findFirst({ where: { workspaceId: invitation.workspaceId, userId }, select: { id: true } })) {
      throw new AppError("conflict", "You are already a member of this workspace.");
    }
    await tx.membership.create({ data: { workspaceId: invitation.workspaceId, userId, role: invitation.role } });
    await tx.invitation.update({ where: { id: invitation.id }, data: { acceptedAt: new Date() } });
    await recordAuditEvent(tx, {
      workspaceId: invitation.workspaceId,
      actor: userActor({ id: userId, email: invitation.email }),
      action: "member.joined",
      target: { type: "user", id: userId },
      metadata: { invitationId: invitation.id, after: { role: invitation.role }, newAccount: Boolean(newAccount) },
      context: options.context,
    });
    return { slug: invitation.workspace.slug, sessionToken };
  });
}
