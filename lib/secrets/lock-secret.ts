import "server-only";
import type { Tx } from "../db/with-workspace";
import { AppError } from "../errors";

export type LockedSecret = {
  id: string;
  name: string;
  environment: string;
  description: string;
  rotation_interval_days: number | null;
  expires_at: Date | null;
  current_version: number;
  revision: number;
  deleted_at: Date | null;
  updated_by: string | null;
  updated_at: Date;
};

export const SECRET_NOT_FOUND = "That secret does not exist in this workspace.";

/**
 * The secret's row locked FOR UPDATE in the writing transaction: every change to a
 * secret (value, details, rollback, destroy, delete, restore) reads what it checks
 * under this lock, so two changes run one after the other and each sees the other's.
 */
export async function lockSecret(tx: Tx, workspaceId: string, secretId: string, options: { deleted?: boolean } = {}): Promise<LockedSecret> {
  const rows = await tx.$queryRaw<LockedSecret[]>`
    SELECT s.id::text AS id, s.name, e.name AS environment, s.description, s.rotation_interval_days, s.expires_at,
           s.current_version, s.revision, s.deleted_at, u.email AS updated_by, s.updated_at
      FROM secrets s
      JOIN environments e ON e.id = s.environment_id
      LEFT JOIN users u ON u.id = s.updated_by_id
     WHERE s.id = ${secretId}::uuid AND s.workspace_id = ${workspaceId}::uuid
       FOR UPDATE OF s`;
  const secret = rows[0];
  if (!secret || (secret.deleted_at !== null) !== Boolean(options.deleted)) {
    throw new AppError("not_found", options.deleted ? "That secret is not in the deleted list (it may have been restored or purged)." : SECRET_NOT_FOUND);
  }
  return secret;
}
