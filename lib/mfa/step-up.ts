import { AppError } from "../errors";
import { withSystem } from "../db/system";
import type { RequestContext } from "../http/request-context";
import { recordUserAuditEvent } from "../audit/record-user-audit-event";
import { rotateSession } from "../auth/sessions/rotate-session";
import type { ValidSession } from "../auth/sessions/check-session";
import type { Membership } from "../workspaces/membership";
import { mfaRequiredFor } from "./mfa-policy";
import { verifySecondFactor } from "./verify-second-factor";
import { userActor } from "../audit/record-audit-event";
import { sessionReference } from "../auth/sessions/session-reference";

export const STEP_UP_REQUIRED = "Confirm it is you: enter a code from your authenticator app.";

/**
 * `true`: a fresh check when the workspace asks for one. `"always"`: whatever the
 * workspace's setting (revealing a secret's value: the one thing no setting may waive).
 */
export type StepUp = boolean | "always";

/**
 * The server's half of step-up: a sensitive action in a workspace that requires it
 * (or any workspace, for `"always"`) runs only if this session passed an MFA check
 * within the workspace's window, whatever the UI did.
 */
export function assertFreshMfa(session: ValidSession, membership: Membership, stepUp: StepUp = true): void {
  if (!stepUp || (stepUp !== "always" && !membership.policy.stepUpRequired)) return;
  if (!session.user.mfaEnabled) {
    throw new AppError("step_up_required", "This action needs a fresh MFA check. Set up two-factor authentication under Account → Security first.");
  }
  const windowMs = membership.policy.stepUpWindowMinutes * 60_000;
  if (!session.mfaVerifiedAt || Date.now() - session.mfaVerifiedAt.getTime() > windowMs) {
    throw new AppError("step_up_required", STEP_UP_REQUIRED);
  }
}

/**
 * What a workspace's MFA policy still asks of this session, if anything. MFA
 * belongs to the session: it holds when this session passed a second factor (at
 * sign-in, step-up or enrollment), not because the account has one, so a session
 * that signed in by password alone gains nothing when the user enrolls elsewhere.
 */
export function mfaPolicyGap(session: ValidSession, membership: Membership): "enroll" | "sign_in_again" | null {
  if (!mfaRequiredFor(membership.policy.mfa, membership.role)) return null;
  if (!session.user.mfaEnabled) return "enroll";
  return session.mfaVerifiedAt ? null : "sign_in_again";
}

/** A member the policy obliges to use MFA may do nothing in the workspace until this session has passed it. */
export function assertMfaPolicySatisfied(session: ValidSession, membership: Membership): void {
  const gap = mfaPolicyGap(session, membership);
  if (gap === "enroll") {
    throw new AppError("forbidden", `${membership.name} requires two-factor authentication. Set it up under Account → Security.`);
  }
  if (gap === "sign_in_again") {
    throw new AppError("forbidden", `${membership.name} requires two-factor authentication, and this session signed in without it. Sign in again with your code.`);
  }
}

/** Records a fresh MFA check on this session (and rotates its token: a change of privilege). */
export async function verifyStepUp(options: { session: ValidSession; code: string; context: RequestContext }) {
  const { session, context } = options;
  return withSystem(async (tx) => {
    const factor = await verifySecondFactor(tx, { userId: session.user.id, email: session.user.email, code: options.code, context });
    const actor = userActor(session.user);
    if (!factor) {
      await recordUserAuditEvent(tx, session.user.id, { actor, action: "mfa.challenge_failed", context, target: { type: "user", id: session.user.id }, metadata: { stage: "step_up" } });
      return null;
    }
    await tx.session.update({ where: { id: session.sessionId }, data: { mfaVerifiedAt: new Date() } });
    const token = await rotateSession(tx, session.sessionId);
    await recordUserAuditEvent(tx, session.user.id, { actor, action: "mfa.step_up_verified", context, target: { type: "session", id: sessionReference(session.sessionId) }, metadata: { factor } });
    return { token };
  });
}
