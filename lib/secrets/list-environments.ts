import "server-only";
import type { Tx } from "../db/with-workspace";

export type EnvironmentRow = { id: string; name: string; liveSecrets: number };

/** The workspace's environments, the defaults first in their usual order, then the others by name. */
export async function listEnvironments(tx: Tx, options: { workspaceId: string }): Promise<EnvironmentRow[]> {
  const rows = await tx.$queryRaw<{ id: string; name: string; live: bigint }[]>`
    SELECT e.id::text AS id, e.name,
           (SELECT count(*) FROM secrets s WHERE s.environment_id = e.id AND s.workspace_id = e.workspace_id AND s.deleted_at IS NULL) AS live
      FROM environments e
     WHERE e.workspace_id = ${options.workspaceId}::uuid
     ORDER BY array_position(ARRAY['production', 'staging', 'development'], e.name) NULLS LAST, e.name`;
  return rows.map((r) => ({ id: r.id, name: r.name, liveSecrets: Number(r.live) }));
}
