import "server-only";
import { withWorkspace } from "../db/with-workspace";
import { rotationStatus, type RotationStatus } from "./secret-status";

export type SecretVersionRow = {
  version: number;
  createdBy: string | null;
  createdAt: string;
  rolledBackFrom: number | null;
  destroyedBy: string | null;
  destroyedAt: string | null;
};

export type SecretDetail = {
  id: string;
  name: string;
  environment: string;
  description: string;
  rotationIntervalDays: number | null;
  rotationStatus: RotationStatus;
  expiresAt: string | null;
  currentVersion: number;
  revision: number;
  valueChangedAt: string;
  createdBy: string | null;
  createdAt: string;
  updatedBy: string | null;
  updatedAt: string;
  lastResolvedAt: string | null;
  lastResolvedByKey: string | null;
  versions: SecretVersionRow[];
};

type SecretRow = {
  id: string;
  name: string;
  environment: string;
  description: string;
  rotation_interval_days: number | null;
  expires_at: Date | null;
  current_version: number;
  revision: number;
  value_changed_at: Date;
  created_by: string | null;
  created_at: Date;
  updated_by: string | null;
  updated_at: Date;
  last_resolved_at: Date | null;
  last_resolved_by_key: string | null;
};
type VersionRow = { version: number; created_by: string | null; created_at: Date; rolled_back_from: number | null; destroyed_by: string | null; destroyed_at: Date | null };

const iso = (date: Date | null) => date?.toISOString() ?? null;

/**
 * A live secret's metadata and version history for its page, or null (missing,
 * deleted, or another workspace's: RLS hides it). Only metadata: no ciphertext is
 * selected, so no value can reach the page or its payload from here.
 */
export function getSecretDetail(workspaceId: string, secretId: string, now = new Date()): Promise<SecretDetail | null> {
  return withWorkspace(workspaceId, async (tx) => {
    const [secret] = await tx.$queryRaw<SecretRow[]>`
      SELECT s.id::text AS id, s.name, e.name AS environment, s.description, s.rotation_interval_days, s.expires_at,
             s.current_version, s.revision, s.value_changed_at, cu.email AS created_by, s.created_at,
             uu.email AS updated_by, s.updated_at, s.last_resolved_at, k.name AS last_resolved_by_key
        FROM secrets s
        JOIN environments e ON e.id = s.environment_id
        LEFT JOIN users cu ON cu.id = s.created_by_id
        LEFT JOIN users uu ON uu.id = s.updated_by_id
        LEFT JOIN api_keys k ON k.id = s.last_resolved_by_key_id
       WHERE s.id = ${secretId}::uuid AND s.workspace_id = ${workspaceId}::uuid AND s.deleted_at IS NULL`;
    if (!secret) return null;
    const versions = await tx.$queryRaw<VersionRow[]>`
      SELECT v.version, cu.email AS created_by, v.created_at, v.rolled_back_from, du.email AS destroyed_by, v.destroyed_at
        FROM secret_versions v
        LEFT JOIN users cu ON cu.id = v.created_by_id
        LEFT JOIN users du ON du.id = v.destroyed_by_id
       WHERE v.secret_id = ${secretId}::uuid AND v.workspace_id = ${workspaceId}::uuid
       ORDER BY v.version DESC`;
    return {
      id: secret.id,
      name: secret.name,
      environment: secret.environment,
      description: secret.description,
      rotationIntervalDays: secret.rotation_interval_days,
      rotationStatus: rotationStatus({ rotationIntervalDays: secret.rotation_interval_days, valueChangedAt: secret.value_changed_at, expiresAt: secret.expires_at }, now),
      expiresAt: iso(secret.expires_at),
      currentVersion: secret.current_version,
      revision: secret.revision,
      valueChangedAt: secret.value_changed_at.toISOString(),
      createdBy: secret.created_by,
      createdAt: secret.created_at.toISOString(),
      updatedBy: secret.updated_by,
      updatedAt: secret.updated_at.toISOString(),
      lastResolvedAt: iso(secret.last_resolved_at),
      lastResolvedByKey: secret.last_resolved_by_key,
      versions: versions.map((v) => ({
        version: v.version,
        createdBy: v.created_by,
        createdAt: v.created_at.toISOString(),
        rolledBackFrom: v.rolled_back_from,
        destroyedBy: v.destroyed_by,
        destroyedAt: iso(v.destroyed_at),
      })),
    };
  });
}
