import { withWorkspace } from "../db/with-workspace";
import { computeEventHash, GENESIS_HASH, type ChainedEvent } from "./audit-chain";
import { configuredAuditKeyring, type AuditKeyring } from "./audit-chain-keys";
import { auditQuery } from "./audit-db";

export type BrokenReason = "hash_mismatch" | "link_mismatch" | "gap" | "unkeyed" | "unknown_key";

/** A head recorded elsewhere (an earlier verification, a signed head export): the chain must still hold it. */
export type ExpectedHead = { seq: bigint; hash: string };

/**
 * Where the chain starts after retention removed its oldest events (audit_checkpoints):
 * the last removed event's seq and hash, how many events retention has removed, when.
 */
export type ChainCheckpoint = { seq: string; hash: string; removed: string; removedAt: Date };

export type ChainVerification =
  | { status: "verified"; count: number; headSeq: string | null; headHash: string | null; checkpoint: ChainCheckpoint | null }
  | { status: "broken"; count: number; seq: string; eventId: string; reason: BrokenReason }
  /** Every event present verifies, but the expected head is gone (found: null) or was replaced (found: its hash now). */
  | { status: "truncated"; count: number; expected: { seq: string; hash: string }; found: string | null; headSeq: string | null };

export type ChainRow = Omit<ChainedEvent, "seq"> & { seq: bigint | string; hash: string; keyId: string | null };

/** An event's columns as the chain encodes them. Order by e.seq, never by the text alias. */
export const CHAIN_COLUMNS = `
  seq::text AS seq, prev_hash AS "prevHash", hash, key_id AS "keyId", id::text AS id, workspace_id::text AS "workspaceId",
  occurred_at AS "occurredAt", actor_type AS "actorType", actor_id::text AS "actorId",
  actor_label AS "actorLabel", action, target_type AS "targetType", target_id AS "targetId",
  ip, user_agent AS "userAgent", request_id AS "requestId", client_request_id AS "clientRequestId",
  metadata::text AS "metadataText"`;

/** One batch of a workspace's chain after a seq; $1 workspace, $2 after seq, $3 limit. */
export const CHAIN_BATCH_SQL = `
  SELECT ${CHAIN_COLUMNS} FROM public.audit_events e
   WHERE e.workspace_id = $1::uuid AND e.seq > $2::bigint
   ORDER BY e.seq
   LIMIT $3::int`;

export type ReadBatch = (afterSeq: bigint, limit: number) => Promise<ChainRow[]>;
export type ReadCheckpoint = () => Promise<ChainCheckpoint | null>;

type CheckpointRow = { seq: string; hash: string; removed: string; removedAt: Date };

/** The workspace's checkpoint; $1 workspace. */
export const CHECKPOINT_SQL = `
  SELECT last_removed_seq::text AS seq, last_removed_hash AS hash, removed_total::text AS removed, updated_at AS "removedAt"
    FROM public.audit_checkpoints WHERE workspace_id = $1::uuid`;

export const toCheckpoint = (rows: CheckpointRow[]): ChainCheckpoint | null => (rows.length === 1 ? rows[0] : null);

/** The app's checkpoint reader, under RLS. */
export const appCheckpointReader =
  (workspaceId: string): ReadCheckpoint =>
  () =>
    withWorkspace(workspaceId, async (tx) => toCheckpoint(await auditQuery<CheckpointRow>(tx, CHECKPOINT_SQL, [workspaceId])));

/** The app's reader: each batch in its own short withWorkspace transaction, under RLS. */
export const appChainReader =
  (workspaceId: string): ReadBatch =>
  (afterSeq, limit) =>
    withWorkspace(workspaceId, (tx) => auditQuery<ChainRow>(tx, CHAIN_BATCH_SQL, [workspaceId, afterSeq.toString(), limit]));

type Options = {
  workspaceId: string;
  batchSize?: number;
  expectHead?: ExpectedHead;
  keyring?: AuditKeyring;
  readBatch?: ReadBatch;
  /** Where the chain starts (audit_checkpoints); by default the app's reader, under RLS. */
  readCheckpoint?: ReadCheckpoint;
};

/**
 * Walks a workspace's chain in seq order, recomputing every HMAC in Node from the
 * row's columns with the key the row names. Reports the count verified, or the
 * first event whose hash, link to its predecessor or position does not hold, or
 * that carries no key (an unkeyed hash proves nothing: anyone can compute one).
 *
 * What the chain alone cannot show is its own end: whoever deletes the newest
 * events leaves a shorter chain that verifies. An expected head, recorded outside
 * the database, closes that: the chain must still contain that seq with that hash.
 *
 * After retention (lib/audit/apply-audit-retention.ts) the chain starts at its
 * checkpoint: the first event left must sit at the checkpoint's seq + 1 and link to
 * its hash, or the walk reports a gap or a broken link there, so a forged checkpoint
 * or an event removed behind retention's back fails as any other change does. The
 * checkpoint is read before the first batch: a retention pass that lands between the
 * two is seen as a gap, and the next run verifies.
 *
 * Batches are read each in their own short transaction, so a run never holds a
 * connection for its whole length; the log is append-only, so the batches see one
 * consistent chain.
 */
export async function verifyAuditChain(options: Options): Promise<ChainVerification> {
  const batchSize = options.batchSize ?? 5000;
  const keyring = options.keyring ?? configuredAuditKeyring();
  const readBatch = options.readBatch ?? appChainReader(options.workspaceId);
  // A caller with its own batch reader names its checkpoint reader too; without one the
  // walk starts at the genesis, and a chain retention has shortened fails as a gap (never passes).
  const readCheckpoint = options.readCheckpoint ?? (options.readBatch ? async () => null : appCheckpointReader(options.workspaceId));
  const checkpoint = await readCheckpoint();
  let previousHash = checkpoint ? checkpoint.hash : GENESIS_HASH;
  let previousSeq = checkpoint ? BigInt(checkpoint.seq) : 0n;
  let count = 0;
  let expectedFound: string | null = null;
  for (;;) {
    const rows = await readBatch(previousSeq, batchSize);
    for (const row of rows) {
      const seq = BigInt(row.seq);
      const broken = (reason: BrokenReason) => ({ status: "broken", count, seq: seq.toString(), eventId: row.id, reason }) as const;
      if (seq !== previousSeq + 1n) return broken("gap");
      if (row.prevHash !== previousHash) return broken("link_mismatch");
      if (row.keyId === null) return broken("unkeyed");
      const key = keyring.all.get(row.keyId);
      if (!key) return broken("unknown_key");
      if (computeEventHash({ ...row, seq }, key) !== row.hash) return broken("hash_mismatch");
      if (options.expectHead && seq === options.expectHead.seq) expectedFound = row.hash;
      previousHash = row.hash;
      previousSeq = seq;
      count += 1;
    }
    if (rows.length < batchSize) break;
  }
  const headSeq = count > 0 ? previousSeq.toString() : null;
  const expected = options.expectHead;
  const genesis = expected?.seq === 0n && expected.hash === GENESIS_HASH;
  // An expected head retention has removed can only be held to the checkpoint when it is the checkpoint itself.
  if (expected && checkpoint && expected.seq <= BigInt(checkpoint.seq)) {
    if (expected.seq === BigInt(checkpoint.seq)) expectedFound = checkpoint.hash;
    else expectedFound = expected.hash;
  }
  if (expected && !genesis && expectedFound !== expected.hash) {
    return { status: "truncated", count, expected: { seq: expected.seq.toString(), hash: expected.hash }, found: expectedFound, headSeq };
  }
  return { status: "verified", count, headSeq, headHash: count > 0 ? previousHash : null, checkpoint };
}

/** "<seq>:<hash>" as the head is written down; null when it is not one. */
export function parseExpectedHead(value: string): ExpectedHead | null {
  const match = /^(\d{1,19}):([0-9a-f]{64})$/.exec(value.trim());
  return match ? { seq: BigInt(match[1]), hash: match[2] } : null;
}
