"use server";

import { z } from "zod";
import { workspaceAction } from "../workspace-action";
import { recordAuditEvent } from "../../audit/record-audit-event";
import { verifyAuditChain } from "../../audit/verify-audit-chain";

export const verifyAuditLog = workspaceAction("audit.read", z.object({}), async ({ tx, membership, actor, context }) => {
  const result = await verifyAuditChain({ workspaceId: membership.workspaceId });
  await recordAuditEvent(tx, {
    workspaceId: membership.workspaceId,
    actor,
    action: "audit.chain_verified",
    metadata: result.status === "verified" ? { result: "verified", count: result.count } : { result: "broken", seq: result.seq, reason: result.reason },
    context,
  });
  return result;
});
