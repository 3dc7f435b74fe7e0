import type { AuditEvent } from "../generated/prisma/client";
import type { AuditEventView } from "./schemas";

/** The one outward shape of an event: the console, the API and the JSON Lines export. */
export function toAuditEventView(event: AuditEvent): AuditEventView {
  return {
    id: event.id,
    seq: event.seq.toString(),
    occurred_at: event.occurredAt.toISOString(),
    actor: { type: event.actorType as AuditEventView["actor"]["type"], id: event.actorId, label: event.actorLabel },
    action: event.action,
    target: event.targetType ? { type: event.targetType, id: event.targetId } : null,
    ip: event.ip,
    user_agent: event.userAgent,
    request_id: event.requestId,
    client_request_id: event.clientRequestId,
    metadata: (event.metadata ?? {}) as Record<string, unknown>,
    prev_hash: event.prevHash,
    hash: event.hash,
    key_id: event.keyId,
  };
}
