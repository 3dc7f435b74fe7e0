import type { Tx } from "../db/with-workspace";
import type { NoticeKind } from "./notice-kinds";
import { emailSecurityNotice } from "../email/email-security-notice";

/**
 * Tells a person (or every member of a workspace) on their next page load that
 * their password, MFA or sessions changed. Takes the transaction of the change, so
 * the notice exists exactly when the change does. `detail` says by whom or where,
 * never a secret. The same notice goes out by email after the commit.
 */
export async function recordSecurityNotice(tx: Tx, who: string | { workspaceId: string }, kind: NoticeKind, detail?: string): Promise<void> {
  if (typeof who === "string") {
    await tx.securityNotice.create({ data: { userId: who, kind, detail: detail ?? null } });
  } else {
    // Inside withWorkspace, RLS shows exactly this workspace's memberships.
    await tx.$executeRaw`
      INSERT INTO public.security_notices (user_id, kind, detail)
      SELECT m.user_id, ${kind}, coalesce(${detail ?? null}::text, w.name)
        FROM public.memberships m JOIN public.workspaces w ON w.id = m.workspace_id
       WHERE m.workspace_id = ${who.workspaceId}::uuid`;
  }
  // And by email, sent once the change commits (nothing is read or sent with email off).
  await emailSecurityNotice(tx, who, kind, detail);
}
