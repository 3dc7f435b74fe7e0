import "server-only";
import { withSystem, withUser } from "../db/system";
import { postgresErrorOf } from "../db/postgres-error";
import type { ValidSession } from "../auth/sessions/check-session";
import type { RequestContext } from "../http/request-context";
import { verifyPassword } from "../auth/password";
import { consumeLimits } from "../rate-limit/consume";
import { verifySecondFactor } from "../mfa/verify-second-factor";
import { computeEventHash } from "../audit/audit-chain";
import { configuredAuditKeyring, type AuditChainKey } from "../audit/audit-chain-keys";
import { auditQuery, type AuditDb } from "../audit/audit-db";
import { AppError } from "../errors";
import { accountPseudonym } from "./account-pseudonym";

export type AccountErasure = { pseudonym: string; workspaces: number; eventsRelabelled: number; removed: Record<string, number> };

type ChainRow = {
  ord: string;
  seq: string;
  prev_hash: string;
  hash: string | null;
  key_id: string | null;
  id: string;
  occurred_ms: string;
  actor_type: string;
  actor_id: string | null;
  actor_label: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  client_request_id: string | null;
  metadata_text: string;
};

const EMAIL_MISMATCH = "Type your account's email address exactly.";

/**
 * Erases the caller's own account: after the email typed, the password and (when
 * the account has MFA) a code, in one transaction. Refused while the person is the
 * last owner of any workspace: the database decides it under each workspace's
 * people lock (account_erasure_begin), and the memberships_keep_an_owner trigger
 * refuses the commit anyway, so two owners erasing themselves at once cannot both
 * leave. Their events in every workspace log are relabelled with a pseudonym and
 * the chain is re-hashed from the first of them (here, with the key the database
 * never sees), closed by an account.erased event; then their personal log,
 * memberships, sessions, MFA state and recovery codes go with the account.
 */
export async function eraseAccount(options: { session: ValidSession; email: string; password: string; code?: string; context: RequestContext }): Promise<AccountErasure> {
  const { session, context } = options;
  const userId = session.user.id;
  const fieldErrors: Record<string, string[]> = {};
  if (options.email.trim().toLowerCase() !== session.user.email) fieldErrors.email = [EMAIL_MISMATCH];
  if (!options.password) fieldErrors.password = ["Enter your password"];
  if (session.user.mfaEnabled && !options.code?.trim()) fieldErrors.code = ["Enter a code from your authenticator app"];
  if (Object.keys(fieldErrors).length > 0) throw new AppError("invalid_input", "Check the highlighted fields.", fieldErrors);

  const verdict = await consumeLimits([{ name: "passwordChangePerUser", key: userId }]);
  if (!verdict.allowed) throw new AppError("rate_limited", `Too many tries. Try again in ${Math.ceil(verdict.resetSeconds / 60)} minutes.`);
  const user = await withSystem((tx) => tx.user.findUniqueOrThrow({ where: { id: userId }, select: { passwordHash: true } }));
  if (!(await verifyPassword(user.passwordHash, options.password))) {
    throw new AppError("invalid_input", "Check the highlighted fields.", { password: ["That is not your password"] });
  }

  const pseudonym = accountPseudonym(userId);
  const key = configuredAuditKeyring().current;
  try {
    return await withUser(userId, async (tx) => {
      if (session.user.mfaEnabled) {
        const factor = await verifySecondFactor(tx, { userId, email: session.user.email, code: options.code ?? "", context });
        if (!factor) throw new AppError("invalid_input", "Check the highlighted fields.", { code: ["That code is not valid"] });
      }
      const workspaces = await tx.$queryRaw<{ workspace_id: string }[]>`SELECT workspace_id::text AS workspace_id FROM public.account_erasure_begin(${userId}::uuid)`;
      let eventsRelabelled = 0;
      for (const { workspace_id: workspaceId } of workspaces) {
        eventsRelabelled += await rechainWorkspace(tx, { userId, workspaceId, pseudonym, key });
      }
      const removed = await tx.$queryRaw<{ removed: Record<string, number> }[]>`
        SELECT public.account_erasure_finish(${userId}::uuid, ${pseudonym}) AS removed`;
      return { pseudonym, workspaces: workspaces.length, eventsRelabelled, removed: removed[0].removed };
    });
  } catch (error) {
    const pg = postgresErrorOf(error);
    const lastOwner = pg?.code === "23000" ? /is the last owner of workspace "(.*)"$/s.exec(pg.message) : null;
    if (lastOwner) {
      throw new AppError("conflict", `You are the last owner of ${lastOwner[1]}. Make someone else an owner, or delete that workspace, first.`);
    }
    if (pg?.code === "23000" && /would have no owner/.test(pg.message)) {
      throw new AppError("conflict", "You are the last owner of a workspace. Make someone else an owner, or delete that workspace, first.");
    }
    throw error;
  }
}

/**
 * One workspace: its events from the person's first re-hashed with the pseudonym,
 * then the account.erased event, in the caller's transaction (after
 * account_erasure_begin). Exported for the owner-role test, which runs it on pg.
 */
export async function rechainWorkspace(tx: AuditDb, options: { userId: string; workspaceId: string; pseudonym: string; key: AuditChainKey }): Promise<number> {
  const { userId, workspaceId, pseudonym, key } = options;
  const rows = await auditQuery<ChainRow>(
    tx,
    `SELECT ord::text AS ord, seq::text AS seq, prev_hash, hash, key_id, id::text AS id, occurred_ms::text AS occurred_ms, actor_type,
            actor_id::text AS actor_id, actor_label, action, target_type, target_id, ip, user_agent, request_id, client_request_id, metadata_text
       FROM public.account_erasure_chain($1::uuid, $2::uuid, $3) ORDER BY ord`,
    [userId, workspaceId, pseudonym],
  );
  const [slot, ...events] = rows;
  let prevHash = events.length > 0 ? events[0].prev_hash : slot.prev_hash;
  const rewritten = events.map((row) => {
    const mine = row.actor_id === userId;
    const event = {
      seq: BigInt(row.seq),
      prevHash,
      id: row.id,
      workspaceId,
      occurredAt: new Date(Number(row.occurred_ms)),
      actorType: row.actor_type,
      actorId: mine ? null : row.actor_id,
      actorLabel: mine ? pseudonym : row.actor_label,
      action: row.action,
      targetType: row.target_type,
      targetId: row.target_id,
      ip: row.ip,
      userAgent: row.user_agent,
      requestId: row.request_id,
      clientRequestId: row.client_request_id,
      metadataText: row.metadata_text,
    };
    const hash = computeEventHash(event, key);
    const out = { id: row.id, seq: row.seq, prev_hash: prevHash, hash, key_id: key.id };
    prevHash = hash;
    return out;
  });
  const closingHash = computeEventHash(
    {
      seq: BigInt(slot.seq),
      prevHash,
      id: slot.id,
      workspaceId,
      occurredAt: new Date(Number(slot.occurred_ms)),
      actorType: "system",
      actorId: null,
      actorLabel: "account erasure",
      action: "account.erased",
      targetType: null,
      targetId: null,
      ip: null,
      userAgent: null,
      requestId: null,
      clientRequestId: null,
      metadataText: slot.metadata_text,
    },
    key,
  );
  const closing = { id: slot.id, seq: slot.seq, prev_hash: prevHash, hash: closingHash, key_id: key.id };
  const done = await auditQuery<{ relabelled: number }>(tx, `SELECT public.account_erasure_rechain($1::uuid, $2::uuid, $3, $4::jsonb, $5::jsonb)::int AS relabelled`, [
    userId,
    workspaceId,
    pseudonym,
    JSON.stringify(rewritten),
    JSON.stringify(closing),
  ]);
  return done[0].relabelled;
}
