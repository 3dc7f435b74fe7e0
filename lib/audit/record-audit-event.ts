import type { RequestContext } from "../http/request-context";
import type { AuditAction } from "./audit-actions";
import { computeEventHash } from "./audit-chain";
import { configuredAuditKeyring, type AuditChainKey } from "./audit-chain-keys";
import { auditQuery, type AuditDb } from "./audit-db";
import { redactMetadata } from "./redact-metadata";

export type AuditActor = { type: "user"; id: string; label: string } | { type: "api_key"; id: string; label: string } | { type: "system"; label: string };

/** A person as the actor of an event, labelled by the email they had at the time. */
export const userActor = (user: { id: string; email: string }) => ({ type: "user" as const, id: user.id, label: user.email });

export type AuditEventInput = {
  workspaceId: string;
  actor: AuditActor;
  action: AuditAction;
  target?: { type: string; id: string };
  metadata?: Record<string, unknown>;
  context: RequestContext;
  /** Honoured only when the database owner writes (the demo seed, the benchmark); the app's events get the server's time. */
  occurredAt?: Date;
};

type Begun = { ord: number; id: string; seq: string; prev_hash: string | null; occurred_ms: string; metadata_text: string };

/**
 * The one audit writer. It takes the transaction of the change it records, so a
 * change never lands without its event and a failed insert rolls the change back.
 */
export async function recordAuditEvent(db: AuditDb, event: AuditEventInput): Promise<void> {
  await recordAuditEvents(db, [event]);
}

/**
 * Appends events of one workspace, in order, in two steps within the caller's
 * transaction: public.audit_event_begin takes the workspace's chain lock and says
 * where each event goes (seq, previous hash, id, the server's time, the metadata
 * as jsonb prints it); this process computes each HMAC with a key the database
 * never sees; public.audit_event_append re-checks the positions under the same
 * lock and inserts.
 */
export async function recordAuditEvents(db: AuditDb, events: AuditEventInput[], key: AuditChainKey = configuredAuditKeyring().current): Promise<void> {
  if (events.length === 0) return;
  const workspaceId = events[0].workspaceId;
  if (events.some((e) => e.workspaceId !== workspaceId)) throw new Error("recordAuditEvents writes one workspace's events at a time");
  const metadata = events.map((e) => redactMetadata(e.metadata ?? {}));
  const begun = await auditQuery<Begun>(
    db,
    `SELECT ord, id::text AS id, seq::text AS seq, prev_hash, occurred_ms::text AS occurred_ms, metadata_text
       FROM public.audit_event_begin($1::uuid, $2::jsonb) ORDER BY ord`,
    [workspaceId, JSON.stringify(events.map((e, i) => ({ metadata: metadata[i], occurred_at: e.occurredAt?.toISOString() ?? null })))],
  );
  let prevHash = begun[0].prev_hash!;
  const rows = events.map((event, i) => {
    const position = begun[i];
    const row = {
      id: position.id,
      seq: BigInt(position.seq),
      prevHash,
      workspaceId,
      occurredAt: new Date(Number(position.occurred_ms)),
      actorType: event.actor.type,
      actorId: event.actor.type === "system" ? null : event.actor.id,
      actorLabel: event.actor.label,
      action: event.action,
      targetType: event.target?.type ?? null,
      targetId: event.target?.id ?? null,
      ip: event.context.ip,
      userAgent: event.context.userAgent,
      requestId: event.context.requestId,
      clientRequestId: event.context.clientRequestId ?? null,
      metadataText: position.metadata_text,
    };
    const hash = computeEventHash(row, key);
    prevHash = hash;
    return {
      id: row.id,
      seq: position.seq,
      prev_hash: row.prevHash,
      hash,
      key_id: key.id,
      occurred_at: event.occurredAt?.toISOString() ?? null,
      actor_type: row.actorType,
      actor_id: row.actorId,
      actor_label: row.actorLabel,
      action: row.action,
      target_type: row.targetType,
      target_id: row.targetId,
      ip: row.ip,
      user_agent: row.userAgent,
      request_id: row.requestId,
      client_request_id: row.clientRequestId,
      metadata: metadata[i],
    };
  });
  await auditQuery(db, `SELECT public.audit_event_append($1::uuid, $2::jsonb) AS inserted`, [workspaceId, JSON.stringify(rows)]);
}
