import { AppError } from "../errors";
import { withSystem } from "../db/system";
import type { RequestContext } from "../http/request-context";
import { recordAuditEvent, userActor } from "../audit/record-audit-event";
import { recordUserAuditEvent } from "../audit/record-user-audit-event";
import { hashPassword } from "../auth/password";
import { passwordProblem } from "../auth/password-rules";
import { consumeLimits } from "../rate-limit/consume";
import { recordSecurityNotice } from "../notices/record-security-notice";
import { assertMayRecover } from "./assert-may-recover";
import { readResetLink, RESET_LINK_GONE } from "./describe-reset-link";

type Claimed = { user_id: string; workspace_id: string | null; issued_by_id: string | null; clear_mfa: boolean };

const ISSUER_GONE = "This reset link no longer works: whoever issued it no longer has the rights to reset this account. Ask for a new one.";

/**
 * Sets a new password through a reset link. Public (the person cannot sign in),
 * so everything cheap comes first: the per-address limit, the link's state and
 * the password rules, and only then Argon2. The link is spent by one conditional
 * UPDATE in the transaction that changes the password: of two redemptions at
 * once, exactly one gets the row. Every session of the account ends.
 */
export async function resetPasswordWithLink(options: { link: string; password: string; context: RequestContext }) {
  const { context } = options;
  const verdict = await consumeLimits([{ name: "passwordResetPerIp", key: context.ip ?? "unknown" }]);
  if (!verdict.allowed) throw new AppError("rate_limited", `Too many attempts from your address. Try again in ${Math.ceil(verdict.resetSeconds / 60)} minutes.`);
  const state = await withSystem((tx) => readResetLink(tx, options.link));
  // A spent link is a conflict whether its other redemption finished a moment ago or races this one.
  if (state.status !== "open") throw new AppError(state.status === "used" ? "conflict" : "not_found", RESET_LINK_GONE[state.status]);
  const problem = passwordProblem(options.password, state.email);
  if (problem) throw new AppError("invalid_input", "Check the highlighted fields.", { password: [problem] });
  const passwordHash = await hashPassword(options.password);

  return withSystem(async (tx) => {
    // Single use: the invariant is the WHERE clause, decided by the row it returns.
    const claimed = await tx.$queryRaw<Claimed[]>`
      UPDATE public.password_resets SET used_at = now()
       WHERE id = ${state.resetId}::uuid AND token_hash = ${state.tokenHash}
         AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now()
      RETURNING user_id, issued_in_workspace_id AS workspace_id, issued_by_id, clear_mfa`;
    if (claimed.length === 0) {
      const now = await readResetLink(tx, options.link);
      throw new AppError("conflict", RESET_LINK_GONE[now.status === "open" ? "used" : now.status]);
    }
    const { user_id: userId, workspace_id: workspaceId, issued_by_id: issuerId, clear_mfa: clearMfa } = claimed[0];
    // A workspace's link is only as good as its issuer's rights, checked again now.
    if (workspaceId) {
      if (!issuerId) throw new AppError("forbidden", ISSUER_GONE);
      await assertMayRecover(tx, { issuerId, userId, workspaceId }).catch((error) => {
        throw error instanceof AppError ? new AppError("forbidden", ISSUER_GONE) : error;
      });
    }
    const mfaOff = clearMfa ? { mfaSecretEnc: null, mfaPendingSecretEnc: null, mfaEnabledAt: null, mfaLastTimeStep: null } : {};
    // The lock protected the old password; the person has proved themselves with the link.
    await tx.user.update({ where: { id: userId }, data: { passwordHash, updatedAt: new Date(), lockedUntil: null, ...mfaOff } });
    if (clearMfa) await tx.mfaRecoveryCode.deleteMany({ where: { userId } });
    await tx.signInFailure.deleteMany({ where: { userId } });
    const { count: sessionsEnded } = await tx.session.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date(), revokedReason: "password_reset" } });
    await recordSecurityNotice(tx, userId, "password_reset");
    if (clearMfa) await recordSecurityNotice(tx, userId, "mfa_cleared");

    const actor = userActor({ id: userId, email: state.email });
    const metadata = { resetId: state.resetId, issuedBy: workspaceId ? "workspace" : "operator", mfaCleared: clearMfa, sessionsEnded };
    await recordUserAuditEvent(tx, userId, { actor, action: "auth.password_reset", target: { type: "user", id: userId }, metadata, context });
    if (workspaceId) {
      await tx.$queryRaw`SELECT set_config('app.workspace_id', ${workspaceId}, true)`;
      await recordAuditEvent(tx, { workspaceId, actor, action: "member.reset_link_used", target: { type: "user", id: userId }, metadata, context });
    }
    return { email: state.email, mfaCleared: clearMfa, sessionsEnded };
  });
}
