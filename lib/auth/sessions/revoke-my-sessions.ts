import { AppError } from "../../errors";
import { withSystem } from "../../db/system";
import type { RequestContext } from "../../http/request-context";
import { recordUserAuditEvent } from "../../audit/record-user-audit-event";
import type { ValidSession } from "./check-session";
import { userActor } from "../../audit/record-audit-event";
import { sessionReference } from "./session-reference";

type Options = { session: ValidSession; context: RequestContext } & ({ sessionId: string } | { allOthers: true });

/** Ends one of the caller's own sessions, or all but the current one. Takes effect on their next request. */
export async function revokeMySessions(options: Options): Promise<{ ended: number }> {
  const { session, context } = options;
  const userId = session.user.id;
  const one = "sessionId" in options;
  return withSystem(async (tx) => {
    const where = one ? { id: options.sessionId, userId, revokedAt: null } : { userId, revokedAt: null, id: { not: session.sessionId } };
    const { count } = await tx.session.updateMany({ where, data: { revokedAt: new Date(), revokedReason: one ? "revoked_by_user" : "signed_out_elsewhere" } });
    if (one && count === 0) throw new AppError("not_found", "That session has already ended.");
    await recordUserAuditEvent(tx, userId, {
      actor: userActor({ id: userId, email: session.user.email }),
      action: "session.revoked",
      target: one ? { type: "session", id: sessionReference(options.sessionId) } : { type: "user", id: userId },
      metadata: { scope: one ? "one" : "all_other_devices", ended: count },
      context,
    });
    return { ended: count };
  });
}
