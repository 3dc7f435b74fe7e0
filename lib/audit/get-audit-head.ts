import { sign } from "node:crypto";
import type { Tx } from "../db/with-workspace";
import { AppError } from "../errors";
import { computeEventHash, GENESIS_HASH } from "./audit-chain";
import { configuredAuditKeyring, type AuditKeyring } from "./audit-chain-keys";
import { auditQuery } from "./audit-db";
import { CHAIN_COLUMNS, type ChainRow } from "./verify-audit-chain";

export type SignedAuditHead = {
  workspace_id: string;
  seq: string;
  hash: string;
  occurred_at: string | null;
  key_id: string;
  signature: string;
  public_key: string;
};

/**
 * What a head's signature covers, one field per line. An auditor rebuilds it from
 * the JSON and checks `signature` (Ed25519, base64) against `public_key`.
 */
export const headMessage = (head: Omit<SignedAuditHead, "signature" | "public_key">) =>
  ["warden-audit-head-v1", head.workspace_id, head.seq, head.hash, head.occurred_at ?? "-", head.key_id].join("\n");

/**
 * The workspace's newest event (seq and hash), signed by the server. An auditor
 * keeps these elsewhere; a later `audit:verify --expect-head <seq>:<hash>` or
 * Verify integrity then shows whether the chain still holds that event, which is
 * how deleting the newest events becomes visible. The server signs only a head
 * whose own HMAC it can recompute, so a row forged in the database is never vouched for.
 */
export async function getAuditHead(tx: Tx, workspaceId: string, keyring: AuditKeyring = configuredAuditKeyring()): Promise<SignedAuditHead> {
  const [row] = await auditQuery<ChainRow>(tx, `SELECT ${CHAIN_COLUMNS} FROM public.audit_events e WHERE e.workspace_id = $1::uuid ORDER BY e.seq DESC LIMIT 1`, [workspaceId]);
  const signer = keyring.current;
  let head: Omit<SignedAuditHead, "signature" | "public_key">;
  if (!row) {
    head = { workspace_id: workspaceId, seq: "0", hash: GENESIS_HASH, occurred_at: null, key_id: signer.id };
  } else {
    const key = row.keyId ? keyring.all.get(row.keyId) : undefined;
    if (!key || computeEventHash({ ...row, seq: BigInt(row.seq) }, key) !== row.hash) {
      throw new AppError("conflict", "The newest audit event does not verify; run Verify integrity before exporting a head.", undefined, "head_unverified");
    }
    head = { workspace_id: workspaceId, seq: String(row.seq), hash: row.hash, occurred_at: new Date(row.occurredAt).toISOString(), key_id: signer.id };
  }
  const signature = sign(null, Buffer.from(headMessage(head), "utf8"), signer.signingKey).toString("base64");
  return { ...head, signature, public_key: signer.publicKeyPem };
}
