import "server-only";
import type { Tx } from "../db/with-workspace";
import { AppError } from "../errors";

export type WorkspaceSettings = {
  name: string;
  slug: string;
  timeZone: string;
  auditRetentionDays: number | null;
  piiRedaction: string[];
};

/** The workspace's settings, its row locked FOR UPDATE until the change that read them commits. */
export async function lockWorkspaceSettings(tx: Tx, workspaceId: string): Promise<WorkspaceSettings> {
  const [row] = await tx.$queryRaw<{ name: string; slug: string; time_zone: string; audit_retention_days: number | null; pii_redaction: string[] }[]>`
    SELECT name, slug, time_zone, audit_retention_days, pii_redaction FROM workspaces WHERE id = ${workspaceId}::uuid FOR UPDATE`;
  if (!row) throw new AppError("not_found", "That workspace does not exist or you are not a member.");
  return { name: row.name, slug: row.slug, timeZone: row.time_zone, auditRetentionDays: row.audit_retention_days, piiRedaction: row.pii_redaction };
}
