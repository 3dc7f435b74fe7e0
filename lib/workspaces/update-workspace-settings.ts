import "server-only";
import type { Tx } from "../db/with-workspace";
import { recordAuditEvent, type AuditActor } from "../audit/record-audit-event";
import type { RequestContext } from "../http/request-context";
import { lockWorkspaceSettings, type WorkspaceSettings } from "./lock-workspace-settings";

type Patch = Partial<Pick<WorkspaceSettings, "timeZone" | "auditRetentionDays" | "piiRedaction">>;

// Audit metadata in the column names the API and exports use.
const KEYS = { timeZone: "time_zone", auditRetentionDays: "audit_retention_days", piiRedaction: "pii_redaction" } as const;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Changes the workspace's time zone, audit retention or PII redaction (the
 * database's CHECKs hold the ranges and kinds too), audited as
 * workspace.settings_changed with before and after of what changed. Nothing
 * changed: nothing written, nothing audited.
 */
export async function updateWorkspaceSettings(tx: Tx, options: { workspaceId: string; patch: Patch; actor: AuditActor & { type: "user" }; context: RequestContext }): Promise<{ changed: boolean }> {
  const { workspaceId, patch, actor, context } = options;
  const current = await lockWorkspaceSettings(tx, workspaceId);
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const key of Object.keys(KEYS) as (keyof typeof KEYS)[]) {
    if (patch[key] === undefined || same(patch[key], current[key])) continue;
    before[KEYS[key]] = current[key];
    after[KEYS[key]] = patch[key];
  }
  if (Object.keys(after).length === 0) return { changed: false };
  await tx.$executeRaw`
    UPDATE workspaces
       SET time_zone = ${patch.timeZone ?? current.timeZone},
           audit_retention_days = ${patch.auditRetentionDays === undefined ? current.auditRetentionDays : patch.auditRetentionDays}::int,
           pii_redaction = ${patch.piiRedaction ?? current.piiRedaction}::text[]
     WHERE id = ${workspaceId}::uuid`;
  await recordAuditEvent(tx, {
    workspaceId,
    actor,
    action: "workspace.settings_changed",
    context,
    target: { type: "workspace", id: workspaceId },
    metadata: { before, after },
  });
  return { changed: true };
}
