// Not "server-only": the server process's maintenance timer runs it outside Next
// (lib/maintenance/run-maintenance.ts), as the application role.
import { getConfig } from "../config";
import { withSystem } from "../db/system";
import { withWorkspace } from "../db/with-workspace";

export type CleanupResult = {
  sessions: number;
  signInFailures: number;
  invitations: number;
  holds: number;
  workspaces: number;
  failed: { workspaceId: string; error: unknown }[];
};

/**
 * Removes rows nobody reads any more, at ages the database functions fix (see
 * migration 20261127010000_audit_retention): sessions ended more than 30 days ago,
 * sign-in failures older than the lockout window (at least 24 hours), invitations
 * expired more than 30 days ago, settled spend holds older than 90 days (the Usage
 * page reads 30). The only thing this side passes is the lockout window the server
 * is configured with, and the database keeps 24 hours whatever it says. Workspace
 * rows go per workspace under its RLS setting; a failing workspace is reported.
 */
export async function cleanUpStaleRows(): Promise<CleanupResult> {
  const config = getConfig();
  const window = Math.max(config.LOCKOUT_WINDOW_SECONDS, config.LOCKOUT_DURATION_SECONDS);
  const [instance] = await withSystem(
    (tx) =>
      tx.$queryRaw<{ sessions: bigint; sign_in_failures: bigint }[]>`
      SELECT sessions, sign_in_failures FROM public.instance_cleanup(${window}::int)`,
  );
  const workspaces = await withSystem((tx) => tx.$queryRaw<{ id: string }[]>`SELECT w::text AS id FROM public.workspaces_with_stale_rows() AS w`);
  let invitations = 0;
  let holds = 0;
  const failed: CleanupResult["failed"] = [];
  for (const { id: workspaceId } of workspaces) {
    try {
      const [row] = await withWorkspace(workspaceId, (tx) => tx.$queryRaw<{ invitations: bigint; holds: bigint }[]>`SELECT invitations, holds FROM public.workspace_cleanup(${workspaceId}::uuid)`);
      invitations += Number(row.invitations);
      holds += Number(row.holds);
    } catch (error) {
      failed.push({ workspaceId, error });
    }
  }
  return {
    sessions: Number(instance.sessions),
    signInFailures: Number(instance.sign_in_failures),
    invitations,
    holds,
    workspaces: workspaces.length,
    failed,
  };
}
