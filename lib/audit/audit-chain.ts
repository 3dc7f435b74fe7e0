import { createHash } from "node:crypto";

// The chain's canonical encoding, reproduced outside the database so that
// verification trusts only the rows, not the SQL function that wrote them
// (audit_event_hash in the 20261122040000 migration). Keep the two in step.

export const GENESIS_HASH = "0".repeat(64);

export type ChainedEvent = {
  seq: bigint;
  prevHash: string;
  id: string;
  workspaceId: string;
  occurredAt: Date;
  actorType: string;
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  /** The metadata exactly as PostgreSQL prints the stored jsonb (metadata::text). */
  metadataText: string;
};

const field = (value: string | null) => (value === null ? "-" : `${Buffer.byteLength(value, "utf8")}:${value}`);

export function computeEventHash(event: ChainedEvent): string {
  const canonical = [
    "warden-audit-v1",
    event.prevHash,
    event.seq.toString(),
    field(event.id),
    field(event.workspaceId),
    String(event.occurredAt.getTime()),
    field(event.actorType),
    field(event.actorId),
    field(event.actorLabel),
    field(event.action),
    field(event.targetType),
    field(event.targetId),
    field(event.ip),
    field(event.userAgent),
    field(event.requestId),
    field(event.metadataText),
  ].join("\n");
  return createHash("sha256").update(canonical, "utf8").digest("hex");
}
