import "server-only";
import { withWorkspace } from "../db/with-workspace";
import type { WorkspaceSettings } from "./lock-workspace-settings";

/** The Settings page's values, read under the workspace's RLS context. */
export async function getWorkspaceSettings(workspaceId: string): Promise<WorkspaceSettings> {
  return withWorkspace(workspaceId, async (tx) => {
    const row = await tx.workspace.findUniqueOrThrow({
      where: { id: workspaceId },
      select: { name: true, slug: true, timeZone: true, auditRetentionDays: true, piiRedaction: true },
    });
    return row;
  });
}
