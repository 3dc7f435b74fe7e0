import "server-only";
import { withWorkspace, type Tx } from "../db/with-workspace";
import type { RequestContext } from "../http/request-context";
import { withChainVerificationSlot } from "./chain-verification-guard";
import { recordAuditEvent, type AuditActor } from "./record-audit-event";
import { verifyAuditChain, type ChainVerification } from "./verify-audit-chain";

type Options = {
  workspaceId: string;
  actor: AuditActor;
  context: RequestContext;
  /** Re-checked in the transaction that records the result (the actor may have lost the right meanwhile). */
  authorize: (tx: Tx) => Promise<void>;
};

/**
 * Verify integrity as the console runs it: the chain is read outside any long
 * transaction (verifyAuditChain reads a batch per short transaction), one run per
 * workspace at a time, and the result is recorded as `audit.chain_verified` with
 * the head it verified (seq and hash): each such event is itself an anchor a later
 * check can hold the chain to.
 */
export async function runChainVerification(options: Options): Promise<ChainVerification> {
  return withChainVerificationSlot(options.workspaceId, async () => {
    const result = await verifyAuditChain({ workspaceId: options.workspaceId });
    const metadata =
      result.status === "verified"
        ? {
            result: "verified",
            count: result.count,
            headSeq: result.headSeq,
            headHash: result.headHash,
            ...(result.checkpoint ? { fromSeq: result.checkpoint.seq, removedByRetention: result.checkpoint.removed } : {}),
          }
        : result.status === "broken"
          ? { result: "broken", count: result.count, seq: result.seq, reason: result.reason }
          : { result: "truncated", count: result.count, headSeq: result.headSeq, expectedSeq: result.expected.seq };
    await withWorkspace(options.workspaceId, async (tx) => {
      await options.authorize(tx);
      await recordAuditEvent(tx, { workspaceId: options.workspaceId, actor: options.actor, action: "audit.chain_verified", metadata, context: options.context });
    });
    return result;
  });
}
