import { createHash, createHmac } from "node:crypto";

// The chain's canonical encoding. The database stores the hash but cannot compute
// it: the server does, with a key only it holds (lib/audit/audit-chain-keys.ts),
// and verification recomputes it from the rows alone.
//
// v2 (keyed): HMAC-SHA256 over a length-prefixed encoding of every column, the
// previous event's hash and the key's id. Length prefixes make it unambiguous.
// v1 (unkeyed SHA-256, 20261122040000): still computed here, only so that events
// from before the key can be checked once before they are re-chained with it.

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
  clientRequestId: string | null;
  /** The metadata exactly as PostgreSQL prints the stored jsonb (metadata::text). */
  metadataText: string;
};

const field = (value: string | null) => (value === null ? "-" : `${Buffer.byteLength(value, "utf8")}:${value}`);

function columns(event: ChainedEvent): string[] {
  return [
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
  ];
}

export function computeEventHash(event: ChainedEvent, key: { id: string; hmacKey: Buffer }): string {
  const canonical = ["warden-audit-v2", field(key.id), event.prevHash, event.seq.toString(), ...columns(event), field(event.clientRequestId), field(event.metadataText)].join("\n");
  return createHmac("sha256", key.hmacKey).update(canonical, "utf8").digest("hex");
}

/** The unkeyed hash events had before the chain was keyed (no client request id then). */
export function computeLegacyEventHash(event: Omit<ChainedEvent, "clientRequestId">): string {
  const canonical = ["warden-audit-v1", event.prevHash, event.seq.toString(), ...columns({ ...event, clientRequestId: null }), field(event.metadataText)].join("\n");
  return createHash("sha256").update(canonical, "utf8").digest("hex");
}
