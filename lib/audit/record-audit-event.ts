import type { Tx } from "../db/with-workspace";
import type { RequestContext } from "../http/request-context";
import type { AuditAction } from "./audit-actions";
import { redactMetadata } from "./redact-metadata";

export type AuditActor =
  | { type: "user"; id: string; label: string }
  | { type: "api_key"; id: string; label: string }
  | { type: "system"; label: string };

/** A person as the actor of an event, labelled by the email they had at the time. */
export const userActor = (user: { id: string; email: string }) => ({ type: "user" as const, id: user.id, label: user.email });

export type AuditEventInput = {
  workspaceId: string;
  actor: AuditActor;
  action: AuditAction;
  target?: { type: string; id: string };
  metadata?: Record<string, unknown>;
  context: RequestContext;
};

/**
 * The one audit writer. It takes the transaction of the change it records, so a
 * change never lands without its event and a failed insert rolls the change back.
 */
export async function recordAuditEvent(tx: Tx, event: AuditEventInput): Promise<void> {
  await tx.auditEvent.create({
    data: {
      workspaceId: event.workspaceId,
      actorType: event.actor.type,
      actorId: event.actor.type === "system" ? null : event.actor.id,
      actorLabel: event.actor.label,
      action: event.action,
      targetType: event.target?.type ?? null,
      targetId: event.target?.id ?? null,
      ip: event.context.ip,
      userAgent: event.context.userAgent,
      requestId: event.context.requestId,
      metadata: redactMetadata(event.metadata ?? {}) as object,
    },
  });
}
