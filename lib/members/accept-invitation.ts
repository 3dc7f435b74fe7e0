import { AppError } from "../errors";
import { withWorkspace } from "../db/with-workspace";
import type { Tx } from "../db/with-workspace";
import type { Role } from "../generated/prisma/enums";
import type { RequestContext } from "../http/request-context";
import { recordAuditEvent, userActor } from "../audit/record-audit-event";
import { hashToken } from "../auth/session-token";
import { hashPassword } from "../auth/password";
import { passwordProblem } from "../auth/password-rules";
import { createSession } from "../auth/sessions/create-session";
import type { ValidSession } from "../auth/sessions/check-session";
import { inviterStillGrants, lockInviterRole } from "./inviter-still-grants";

const GONE = "This invitation is no longer valid: it was used, revoked or has expired. Ask for a new one.";
const SUSPENDED = "This invitation is no longer valid: the person who sent it can no longer grant this role. Ask for a new one.";

// The link is <workspace uuid>.<token>; only a canonical UUID reaches the uuid cast in PostgreSQL.
const LINK = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/i;

export function parseInvitationLink(value: unknown): { workspaceId: string; token: string } | null {
  const match = typeof value === "string" ? LINK.exec(value) : null;
  return match ? { workspaceId: match[1].toLowerCase(), token: match[2] } : null;
}

/** The open invitation a link names, and whether its inviter can no longer grant it; read without a lock. */
async function openInvitation(tx: Tx, workspaceId: string, token: string) {
  const invitation = await tx.invitation.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { workspace: { select: { name: true, slug: true } } },
  });
  if (!invitation || invitation.workspaceId !== workspaceId || invitation.acceptedAt || invitation.revokedAt || invitation.expiresAt <= new Date()) return null;
  const inviter = invitation.invitedById ? await tx.membership.findFirst({ where: { workspaceId, userId: invitation.invitedById }, select: { role: true } }) : null;
  return { ...invitation, suspended: !inviterStillGrants(inviter?.role, invitation.role) };
}

/** For the page and the checks before the password hash: the open invitation, or why the link cannot be used. */
async function peekInvitation(link: string) {
  const parsed = parseInvitationLink(link);
  if (!parsed) return { ok: false, refused: GONE } as const;
  return withWorkspace(parsed.workspaceId, async (tx) => {
    const invitation = await openInvitation(tx, parsed.workspaceId, parsed.token);
    if (!invitation) return { ok: false, refused: GONE } as const;
    if (invitation.suspended) return { ok: false, refused: SUSPENDED } as const;
    const account = await tx.user.findUnique({ where: { email: invitation.email }, select: { id: true } });
    return { ok: true, email: invitation.email, role: invitation.role, workspace: invitation.workspace, hasAccount: Boolean(account) } as const;
  });
}

/** What the invitation page shows: the workspace, role and address, and whether that address has an account. */
export async function describeInvitation(link: string) {
  const found = await peekInvitation(link);
  if (!found.ok) return null;
  const { email, role, workspace, hasAccount } = found;
  return { email, role, workspace, hasAccount };
}

type Claimed = { id: string; email: string; role: Role; invited_by_id: string | null };

/**
 * Spends the token with one conditional UPDATE: of an accept racing a revoke or
 * another accept, exactly one changes the row (the other re-checks the WHERE on
 * the committed row and finds nothing). Anything refused later in the
 * transaction rolls the claim back with it.
 */
async function claimInvitation(tx: Tx, workspaceId: string, token: string): Promise<Claimed | null> {
  const rows = await tx.$queryRaw<Claimed[]>`
    UPDATE invitations SET accepted_at = now()
    WHERE token_hash = ${hashToken(token)} AND workspace_id = ${workspaceId}::uuid
      AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()
    RETURNING id, email, role, invited_by_id`;
  return rows[0] ?? null;
}

type Accept = { link: string; context: RequestContext; session: ValidSession } | { link: string; context: RequestContext; newAccount: { name: string; password: string } };

/**
 * Joins the workspace: a signed-in user whose email is the invited one, or a new
 * account created with the invited email. The token is spent in the same
 * transaction, so a link works once, and only while its inviter may still grant
 * its role (read in this transaction, FOR SHARE).
 */
export async function acceptInvitation(options: Accept) {
  const parsed = parseInvitationLink(options.link);
  if (!parsed) throw new AppError("not_found", GONE);
  const newAccount = "newAccount" in options ? options.newAccount : null;
  let passwordHash: string | null = null;
  if (newAccount) {
    // A dead link or a weak password is refused before the deliberately slow hash.
    const open = await peekInvitation(options.link);
    if (!open.ok) throw new AppError("not_found", open.refused);
    const problem = passwordProblem(newAccount.password, open.email);
    if (problem) throw new AppError("invalid_input", "Check the highlighted fields.", { password: [problem] });
    passwordHash = await hashPassword(newAccount.password);
  }

  return withWorkspace(parsed.workspaceId, async (tx) => {
    const invitation = await claimInvitation(tx, parsed.workspaceId, parsed.token);
    if (!invitation) throw new AppError("not_found", GONE);
    const inviterRole = await lockInviterRole(tx, parsed.workspaceId, invitation.invited_by_id);
    if (!inviterStillGrants(inviterRole, invitation.role)) throw new AppError("not_found", SUSPENDED);
    let userId: string;
    let sessionToken: string | null = null;
    if (newAccount) {
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
    if (await tx.membership.findFirst({ where: { workspaceId: parsed.workspaceId, userId }, select: { id: true } })) {
      throw new AppError("conflict", "You are already a member of this workspace.");
    }
    await tx.membership.create({ data: { workspaceId: parsed.workspaceId, userId, role: invitation.role } });
    await recordAuditEvent(tx, {
      workspaceId: parsed.workspaceId,
      actor: userActor({ id: userId, email: invitation.email }),
      action: "member.joined",
      target: { type: "user", id: userId },
      metadata: { invitationId: invitation.id, after: { role: invitation.role }, newAccount: Boolean(newAccount) },
      context: options.context,
    });
    const workspace = await tx.workspace.findUniqueOrThrow({ where: { id: parsed.workspaceId }, select: { slug: true } });
    return { slug: workspace.slug, sessionToken };
  });
}
