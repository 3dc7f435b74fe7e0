import { AppError } from "../errors";
import { withSystem } from "../db/system";
import { getConfig } from "../config";
import { recordUserAuditEvent } from "../audit/record-user-audit-event";
import { createResetLink } from "./create-reset-link";
import { resetLinkUrl } from "./reset-link";

/**
 * The instance operator's way back into any account (`npm run account:recover`):
 * a one-time, 1-hour link, recorded in the person's account log. Whoever can run
 * commands on the server already holds the database, so no workspace rule applies.
 */
export async function issueOperatorResetLink(options: { email: string; clearMfa: boolean; operator: string }) {
  const email = options.email.trim().toLowerCase();
  return withSystem(async (tx) => {
    const user = await tx.user.findUnique({ where: { email }, select: { id: true, mfaEnabledAt: true } });
    if (!user) throw new AppError("not_found", `No account has the email ${email}.`);
    const clearMfa = options.clearMfa && Boolean(user.mfaEnabledAt);
    const link = await createResetLink(tx, { userId: user.id, workspaceId: null, issuedById: null, clearMfa });
    await recordUserAuditEvent(tx, user.id, {
      actor: { type: "system", label: `operator (${options.operator})` },
      action: "auth.recovery_link_created",
      target: { type: "user", id: user.id },
      metadata: { resetId: link.resetId, clearMfa, expiresAt: link.expiresAt.toISOString(), previousLinksRevoked: link.revokedPrevious },
      context: { ip: null, userAgent: "npm run account:recover", requestId: null },
    });
    return { url: resetLinkUrl(getConfig().WARDEN_URL, link.resetId, link.token), expiresAt: link.expiresAt, clearMfa, hadMfa: Boolean(user.mfaEnabledAt) };
  });
}
