import type { Tx } from "../db/with-workspace";
import type { RequestContext } from "../http/request-context";
import { recordUserAuditEvent } from "../audit/record-user-audit-event";
import { userActor } from "../audit/record-audit-event";
import { createSession } from "./sessions/create-session";
import { sessionReference } from "./sessions/session-reference";
import type { SignInAttempt } from "./reserve-sign-in-attempt";
import { emailNewDeviceSignIn } from "../email/email-new-device-sign-in";

type Options = {
  attempt: SignInAttempt;
  user: { id: string; email: string };
  method: string;
  mfaVerified: boolean;
  context: RequestContext;
  metadata?: Record<string, unknown>;
};

/**
 * The last step of a sign-in that passed every factor: the account's failures up
 * to and including this attempt's reservation are cleared (attempts reserved after
 * it still count), a lock that has run out is lifted, and a session is created,
 * audited by a reference to the session rather than its id, all in the caller's
 * transaction. A sign-in from a new device is emailed to the person after it commits.
 */
export async function completeSignIn(tx: Tx, { attempt, user, method, mfaVerified, context, metadata }: Options) {
  await tx.signInFailure.deleteMany({ where: { userId: user.id, id: { lte: attempt.id } } });
  // Only a lock that has run out: one set meanwhile by a parallel failure stands.
  const { count: unlocked } = await tx.user.updateMany({ where: { id: user.id, lockedUntil: { lte: new Date() } }, data: { lockedUntil: null } });
  // Signing in is activity: the members table's "Last active" shows it at once.
  await tx.user.update({ where: { id: user.id }, data: { lastSeenAt: new Date() } });
  // Read before the new session exists, sent after the commit.
  await emailNewDeviceSignIn(tx, { user, context });
  const { token, session } = await createSession(tx, { userId: user.id, context, mfaVerified });
  if (unlocked === 1) {
    await recordUserAuditEvent(tx, user.id, {
      actor: { type: "system", label: "lockout expiry" },
      action: "auth.account_unlocked",
      context,
      target: { type: "user", id: user.id },
      metadata: { automatic: true },
    });
  }
  await recordUserAuditEvent(tx, user.id, {
    actor: userActor(user),
    action: "auth.sign_in_succeeded",
    context,
    target: { type: "session", id: sessionReference(session.id) },
    metadata: { method, ...metadata },
  });
  return { token, userId: user.id, sessionId: session.id };
}
