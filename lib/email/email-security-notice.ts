import { getConfig } from "../config";
import type { Tx } from "../db/with-workspace";
import type { NoticeKind } from "../notices/notice-kinds";
import { emailInBackgroundAfterCommit } from "./email-after-commit";
import { emailEnabled } from "./mail-transport";
import { securityNoticeEmail } from "./messages/security-notice-email";

/**
 * Emails a security notice to the person (or every member of the workspace) it is
 * recorded for, once the change's transaction commits. With email off it reads
 * nothing. Inside withWorkspace, RLS limits the memberships to this workspace.
 */
export async function emailSecurityNotice(tx: Tx, who: string | { workspaceId: string }, kind: NoticeKind, detail?: string): Promise<void> {
  if (!emailEnabled()) return;
  const recipients = await tx.user.findMany({
    where: typeof who === "string" ? { id: who } : { memberships: { some: { workspaceId: who.workspaceId } } },
    select: { email: true },
  });
  const workspaceName = typeof who === "string" || detail ? null : (await tx.workspace.findUnique({ where: { id: who.workspaceId }, select: { name: true } }))?.name;
  const at = new Date();
  const accountUrl = `${getConfig().WARDEN_URL}/account/security`;
  emailInBackgroundAfterCommit(recipients.map((r) => securityNoticeEmail({ to: r.email, kind, detail: detail ?? workspaceName ?? null, at, accountUrl })));
}
