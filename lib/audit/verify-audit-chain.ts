import { withWorkspace } from "../db/with-workspace";
import { computeEventHash, GENESIS_HASH, type ChainedEvent } from "./audit-chain";

export type ChainVerification =
  | { status: "verified"; count: number; headHash: string | null }
  | { status: "broken"; count: number; seq: string; eventId: string; reason: "hash_mismatch" | "link_mismatch" | "gap" };

type ChainRow = Omit<ChainedEvent, "metadataText"> & { metadataText: string; hash: string };

/**
 * Walks a workspace's chain in seq order, recomputing every hash in Node from the
 * row's columns. Reports the count verified, or the first event whose hash, link
 * to its predecessor or position does not hold. Batches keep memory flat; the log
 * is append-only, so reading it in several transactions sees one consistent chain.
 */
export async function verifyAuditChain(options: { workspaceId: string; batchSize?: number }): Promise<ChainVerification> {
  const batchSize = options.batchSize ?? 5000;
  let previousHash = GENESIS_HASH;
  let previousSeq = 0n;
  let count = 0;
  for (;;) {
    const rows = await withWorkspace(options.workspaceId, (tx) =>
      tx.$queryRaw<ChainRow[]>`
        SELECT seq, prev_hash AS "prevHash", hash, id::text AS id, workspace_id::text AS "workspaceId",
               occurred_at AS "occurredAt", actor_type AS "actorType", actor_id::text AS "actorId",
               actor_label AS "actorLabel", action, target_type AS "targetType", target_id AS "targetId",
               ip, user_agent AS "userAgent", request_id AS "requestId", metadata::text AS "metadataText"
        FROM audit_events
        WHERE workspace_id = ${options.workspaceId}::uuid AND seq > ${previousSeq}
        ORDER BY seq
        LIMIT ${batchSize}`,
    );
    for (const row of rows) {
      const seq = BigInt(row.seq);
      const broken = (reason: "hash_mismatch" | "link_mismatch" | "gap") =>
        ({ status: "broken", count, seq: seq.toString(), eventId: row.id, reason }) as const;
      if (seq !== previousSeq + 1n) return broken("gap");
      if (row.prevHash !== previousHash) return broken("link_mismatch");
      if (computeEventHash({ ...row, seq }) !== row.hash) return broken("hash_mismatch");
      previousHash = row.hash;
      previousSeq = seq;
      count += 1;
    }
    if (rows.length < batchSize) return { status: "verified", count, headHash: count > 0 ? previousHash : null };
  }
}
