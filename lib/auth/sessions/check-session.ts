import { getConfig } from "../../config";
import { systemRead, withSystem } from "../../db/system";
import type { Tx } from "../../db/with-workspace";
import type { RequestContext } from "../../http/request-context";
import { recordUserAuditEvent } from "../../audit/record-user-audit-event";
import { generateSessionToken, hashToken } from "../session-token";
import { recordSupersededToken } from "./rotate-session";
import { sessionReference } from "./session-reference";

export type ValidSession = {
  sessionId: string;
  user: { id: string; email: string; name: string; mfaEnabled: boolean };
  /** When this session last passed an MFA check (sign-in or step-up). */
  mfaVerifiedAt: Date | null;
};

export type SessionCheck = { session: ValidSession; rotatedToken?: string } | null;

/** Why a presented session no longer signs anyone in: a code, never who ended it. */
export type EndedReason = "revoked_by_owner" | "password_changed" | "password_reset" | "mfa_changed" | "ended_elsewhere" | "signed_out" | "reuse" | "expired" | "ended";

// sessions.revoked_reason as the writers set it → what the person is told.
const ENDED_BY: Record<string, EndedReason> = {
  workspace_revoke_all: "revoked_by_owner",
  password_changed: "password_changed",
  password_reset: "password_reset",
  mfa_enrolled: "mfa_changed",
  mfa_disabled: "mfa_changed",
  revoked_by_user: "ended_elsewhere",
  signed_out_elsewhere: "ended_elsewhere",
  signed_out: "signed_out",
  reuse_detected: "reuse",
};

// Requests already in flight when a token rotates may still carry the old one.
export const ROTATION_GRACE_MS = 30_000;
// "Last active" and the idle window need no finer grain than a minute.
const TOUCH_EVERY_MS = 60_000;

const userSelect = { select: { id: true, email: true, name: true, mfaEnabledAt: true, lastSeenAt: true } } as const;

type Row = { id: string; mfaVerifiedAt: Date | null; user: { id: string; email: string; name: string; mfaEnabledAt: Date | null } };
const toValid = (row: Row): ValidSession => ({
  sessionId: row.id,
  user: { id: row.user.id, email: row.user.email, name: row.user.name, mfaEnabled: Boolean(row.user.mfaEnabledAt) },
  mfaVerifiedAt: row.mfaVerifiedAt,
});

/**
 * Validates a presented session token. Live: the session, plus a new token when
 * rotation is due (`rotate` only where the caller can set the cookie). Any token
 * of the session's family rotated away more than the grace window ago, whatever
 * its generation, is treated as stolen: the whole session is revoked and
 * `session.reuse_detected` audited.
 */
export async function checkSession(token: string, options: { rotate: boolean; context: RequestContext }): Promise<SessionCheck> {
  const hash = hashToken(token);
  const now = new Date();
  // Most requests find a live session with nothing due: one statement answers them,
  // as it answers an ended one. The rest (a token rotated away, a touch or rotation
  // due) is decided again below, in the transaction that writes.
  const [live] = await systemRead<LiveRow>`
    SELECT s.id, s.mfa_verified_at, s.last_seen_at, s.rotated_at, s.revoked_at, s.idle_expires_at, s.absolute_expires_at,
           u.id AS user_id, u.email, u.name, u.mfa_enabled_at, u.last_seen_at AS user_last_seen_at
      FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.token_hash = ${hash}`;
  if (live) {
    if (live.revoked_at || live.idle_expires_at <= now || live.absolute_expires_at <= now) return null;
    if (!writeDue(live, now, options.rotate)) {
      return {
        session: {
          sessionId: live.id,
          user: { id: live.user_id, email: live.email, name: live.name, mfaEnabled: Boolean(live.mfa_enabled_at) },
          mfaVerifiedAt: live.mfa_verified_at,
        },
      };
    }
  }
  return withSystem(async (tx) => {
    const session = await tx.session.findUnique({ where: { tokenHash: hash }, include: { user: userSelect } });
    if (!session) return checkSupersededToken(tx, hash, now, options.context);
    if (session.revokedAt || session.idleExpiresAt <= now || session.absoluteExpiresAt <= now) return null;

    const config = getConfig();
    // The same decisions as writeDue, on the row as this transaction read it.
    const data: { lastSeenAt?: Date; idleExpiresAt?: Date; tokenHash?: string; previousTokenHash?: string; rotatedAt?: Date } = {};
    if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
      const idle = new Date(now.getTime() + config.SESSION_IDLE_MINUTES * 60_000);
      data.lastSeenAt = now;
      data.idleExpiresAt = idle < session.absoluteExpiresAt ? idle : session.absoluteExpiresAt;
    }
    let rotatedToken: string | undefined;
    if (options.rotate && now.getTime() - session.rotatedAt.getTime() > config.SESSION_ROTATE_MINUTES * 60_000) {
      rotatedToken = generateSessionToken();
      Object.assign(data, { tokenHash: hashToken(rotatedToken), previousTokenHash: hash, rotatedAt: now });
    }
    if (Object.keys(data).length > 0) {
      // Conditional on the token still being current: of two racing requests one rotates.
      const { count } = await tx.session.updateMany({ where: { id: session.id, tokenHash: hash }, data });
      if (count === 0) rotatedToken = undefined;
      else {
        if (rotatedToken) await recordSupersededToken(tx, session.id, hash, now);
      }
    }
    await touchUser(tx, session.user, now);
    return { session: toValid(session), rotatedToken };
  });
}

type LiveRow = {
  id: string;
  mfa_verified_at: Date | null;
  last_seen_at: Date;
  rotated_at: Date;
  revoked_at: Date | null;
  idle_expires_at: Date;
  absolute_expires_at: Date;
  user_id: string;
  email: string;
  name: string;
  mfa_enabled_at: Date | null;
  user_last_seen_at: Date | null;
};

/** Whether this request has something to write: the session's or the account's minute touch, or a rotation. */
function writeDue(row: LiveRow, now: Date, rotate: boolean): boolean {
  const ms = now.getTime();
  if (ms - row.last_seen_at.getTime() > TOUCH_EVERY_MS) return true;
  if (!row.user_last_seen_at || ms - row.user_last_seen_at.getTime() > TOUCH_EVERY_MS) return true;
  return rotate && ms - row.rotated_at.getTime() > getConfig().SESSION_ROTATE_MINUTES * 60_000;
}

/**
 * The account's "Last active", at most once a minute. Kept apart from the
 * session's own touch: a session created moments ago (a joined invitation, a reset
 * password) is used long before its first touch is due, and the person has been
 * active all the same. Conditional, so a user's parallel requests write it once.
 */
async function touchUser(tx: Tx, user: { id: string; lastSeenAt: Date | null }, now: Date) {
  if (user.lastSeenAt && now.getTime() - user.lastSeenAt.getTime() <= TOUCH_EVERY_MS) return;
  const stale = new Date(now.getTime() - TOUCH_EVERY_MS);
  await tx.user.updateMany({ where: { id: user.id, OR: [{ lastSeenAt: null }, { lastSeenAt: { lt: stale } }] }, data: { lastSeenAt: now } });
}

async function checkSupersededToken(tx: Tx, hash: string, now: Date, context: RequestContext): Promise<SessionCheck> {
  const superseded = await tx.sessionSupersededToken.findUnique({ where: { tokenHash: hash }, include: { session: { include: { user: userSelect } } } });
  if (!superseded) return null;
  const { session } = superseded;
  if (session.revokedAt || session.absoluteExpiresAt <= now) return null;
  // Requests in flight when this token was replaced, not when the session last rotated.
  if (now.getTime() - superseded.supersededAt.getTime() <= ROTATION_GRACE_MS) {
    return session.idleExpiresAt > now ? { session: toValid(session) } : null;
  }
  // Conditional on the session still being live: of stolen copies presented together, one revokes and audits.
  const { count } = await tx.session.updateMany({ where: { id: session.id, revokedAt: null }, data: { revokedAt: now, revokedReason: "reuse_detected" } });
  if (count === 0) return null;
  await recordUserAuditEvent(tx, session.userId, {
    actor: { type: "system", label: "session guard" },
    action: "session.reuse_detected",
    target: { type: "session", id: sessionReference(session.id) },
    metadata: { supersededAt: superseded.supersededAt.toISOString(), rotatedAt: session.rotatedAt.toISOString(), sessionIp: session.ip },
    context,
  });
  return null;
}

const endedSelect = { revokedAt: true, revokedReason: true, idleExpiresAt: true, absoluteExpiresAt: true } as const;

/**
 * For a token checkSession refused: why its session ended, so sign-in can say so.
 * Null for a token that never belonged to a session (nothing to explain, and
 * nothing learned by guessing). Only the holder of the token asks, and the answer
 * is a fixed code: the person or workspace that ended it is never named.
 */
export async function sessionEndedReason(token: string): Promise<EndedReason | null> {
  const hash = hashToken(token);
  const now = new Date();
  return withSystem(async (tx) => {
    const session =
      (await tx.session.findUnique({ where: { tokenHash: hash }, select: endedSelect })) ??
      (await tx.sessionSupersededToken.findUnique({ where: { tokenHash: hash }, select: { session: { select: endedSelect } } }))?.session;
    if (!session) return null;
    if (session.revokedAt) {
      const written = session.revokedReason ?? "";
      return Object.hasOwn(ENDED_BY, written) ? ENDED_BY[written] : "ended";
    }
    if (session.idleExpiresAt <= now || session.absoluteExpiresAt <= now) return "expired";
    return null;
  });
}
