import { withSystem } from "../../db/system";
import { getRequestContext } from "../../http/request-context";
import { recordUserAuditEvent } from "../../audit/record-user-audit-event";
import { hashToken } from "../session-token";
import { userActor } from "../../audit/record-audit-event";
import { sessionReference } from "./session-reference";

/** Ends the session a token belongs to, and audits the sign-out. */
export async function signOutSession(token: string): Promise<void> {
  const context = await getRequestContext();
  await withSystem(async (tx) => {
    const session = await tx.session.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: { select: { email: true } } } });
    if (!session || session.revokedAt) return;
    await tx.session.update({ where: { id: session.id }, data: { revokedAt: new Date(), revokedReason: "signed_out" } });
    await recordUserAuditEvent(tx, session.userId, {
      actor: userActor({ id: session.userId, email: session.user.email }),
      action: "auth.signed_out",
      target: { type: "session", id: sessionReference(session.id) },
      context,
    });
  });
}
