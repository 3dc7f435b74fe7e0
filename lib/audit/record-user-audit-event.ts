import type { Tx } from "../db/with-workspace";
import { recordAuditEvent, type AuditEventInput } from "./record-audit-event";

/**
 * An event about a person rather than one workspace (a sign-in, a lockout, a
 * password change) goes into the audit log of every workspace they belong to, in
 * the caller's transaction, so each workspace's owners see it. The tenant context
 * is switched for each insert and RLS still checks every row.
 */
export async function recordUserAuditEvent(tx: Tx, userId: string, event: Omit<AuditEventInput, "workspaceId">): Promise<number> {
  await tx.$queryRaw`SELECT set_config('app.user_id', ${userId}, true)`;
  // A fixed order: each insert takes its workspace's chain lock, and two fan-outs
  // taking them in different orders could deadlock.
  const memberships = await tx.membership.findMany({ where: { userId }, select: { workspaceId: true }, orderBy: { workspaceId: "asc" } });
  for (const { workspaceId } of memberships) {
    await tx.$queryRaw`SELECT set_config('app.workspace_id', ${workspaceId}, true)`;
    await recordAuditEvent(tx, { ...event, workspaceId });
  }
  await tx.$queryRaw`SELECT set_config('app.workspace_id', '', true)`;
  return memberships.length;
}
