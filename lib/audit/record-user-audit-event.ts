import type { Tx } from "../db/with-workspace";
import type { AuditEventInput } from "./record-audit-event";
import { redactMetadata } from "./redact-metadata";

/**
 * An event about a person rather than one workspace (a sign-in, a failure, a
 * lockout, an MFA or password change, a reused session token) goes into their
 * account's own log, account_events, once: never into the workspaces they belong
 * to, whose admins have no business seeing where and when they sign in. The person
 * sees it on Account → Security; operators with `npm run account:events`. A null
 * userId records an attempt at an address that has no account. Written in the
 * caller's transaction through public.account_event_append, with the server's time.
 */
export async function recordUserAuditEvent(tx: Tx, userId: string | null, event: Omit<AuditEventInput, "workspaceId">): Promise<void> {
  const row = {
    actor_type: event.actor.type,
    actor_id: event.actor.type === "system" ? null : event.actor.id,
    actor_label: event.actor.label,
    action: event.action,
    target_type: event.target?.type ?? null,
    target_id: event.target?.id ?? null,
    ip: event.context.ip,
    user_agent: event.context.userAgent,
    request_id: event.context.requestId,
    client_request_id: event.context.clientRequestId ?? null,
    metadata: redactMetadata(event.metadata ?? {}),
  };
  await tx.$queryRawUnsafe(`SELECT public.account_event_append($1::uuid, $2::jsonb)::text AS id`, userId, JSON.stringify(row));
}
