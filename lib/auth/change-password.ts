import { AppError } from "../errors";
import { withSystem } from "../db/system";
import type { RequestContext } from "../http/request-context";
import { recordUserAuditEvent } from "../audit/record-user-audit-event";
import { consumeLimits } from "../rate-limit/consume";
import { hashPassword, verifyPassword } from "./password";
import { passwordProblem } from "./password-rules";
import { rotateSession } from "./sessions/rotate-session";
import { endOtherSessions } from "./sessions/end-other-sessions";
import type { ValidSession } from "./sessions/check-session";
import { userActor } from "../audit/record-audit-event";
import { recordSecurityNotice } from "../notices/record-security-notice";

/**
 * Changes the caller's password after checking the current one, ends every other
 * session (a thief's included) and rotates this one. Three tries per 15 minutes.
 * Every field's problems come back together, so one submit shows all there is
 * to fix; only a try that checks the current password counts against the limit.
 */
export async function changePassword(options: { session: ValidSession; currentPassword: string; newPassword: string; context: RequestContext }) {
  const { session, context } = options;
  const fieldErrors: { currentPassword?: string[]; newPassword?: string[] } = {};
  const newProblem = options.newPassword ? passwordProblem(options.newPassword, session.user.email) : "Enter a new password";
  if (newProblem) fieldErrors.newPassword = [newProblem];
  let currentHash: string | null = null;
  if (!options.currentPassword) fieldErrors.currentPassword = ["Enter your current password"];
  else {
    const verdict = await consumeLimits([{ name: "passwordChangePerUser", key: session.user.id }]);
    if (!verdict.allowed) {
      throw new AppError("rate_limited", `Too many password changes. Try again in ${Math.ceil(verdict.resetSeconds / 60)} minutes.`);
    }
    const user = await withSystem((tx) => tx.user.findUniqueOrThrow({ where: { id: session.user.id }, select: { passwordHash: true } }));
    if (await verifyPassword(user.passwordHash, options.currentPassword)) currentHash = user.passwordHash;
    else fieldErrors.currentPassword = ["That is not your current password"];
  }
  // Compared only once the current password is proven: otherwise this field would be a second way to guess it.
  if (currentHash && !newProblem && (await verifyPassword(currentHash, options.newPassword))) {
    fieldErrors.newPassword = ["Choose a password different from the current one"];
  }
  if (fieldErrors.currentPassword || fieldErrors.newPassword) throw new AppError("invalid_input", "Check the highlighted fields.", fieldErrors);
  const passwordHash = await hashPassword(options.newPassword);
  return withSystem(async (tx) => {
    await tx.user.update({ where: { id: session.user.id }, data: { passwordHash, updatedAt: new Date() } });
    const count = await endOtherSessions(tx, { userId: session.user.id, exceptSessionId: session.sessionId, reason: "password_changed" });
    const token = await rotateSession(tx, session.sessionId);
    await recordSecurityNotice(tx, session.user.id, "password_changed");
    await recordUserAuditEvent(tx, session.user.id, {
      actor: userActor(session.user),
      action: "auth.password_changed",
      target: { type: "user", id: session.user.id },
      metadata: { otherSessionsEnded: count },
      context,
    });
    return { token, otherSessionsEnded: count };
  });
}
