import "server-only";
import type { Tx } from "../db/with-workspace";
import { likePattern } from "../db/like-pattern";
import { Prisma } from "../generated/prisma/client";
import { rotationStatus, type RotationStatus } from "./secret-status";
import type { SecretListQuery } from "./secret-list-query";

export type SecretRow = {
  id: string;
  name: string;
  environment: string;
  description: string;
  version: number;
  updatedAt: string;
  /** The updater's name; null when that account is gone. */
  updatedBy: string | null;
  lastResolvedAt: string | null;
  /** The API key's name that last resolved it; null when never resolved or the key is gone. */
  lastResolvedBy: string | null;
  status: RotationStatus;
  deletedAt: string | null;
  deletedBy: string | null;
};

// The same rule as rotationStatus (lib/secrets/secret-status.ts), in SQL: expiry
// first, then an interval measured in whole 24-hour days from the last value change.
export const EXPIRED_SQL = Prisma.sql`(s.expires_at IS NOT NULL AND s.expires_at <= now())`;
export const ROTATION_DUE_SQL = Prisma.sql`(NOT ${EXPIRED_SQL} AND s.rotation_interval_days IS NOT NULL
  AND s.value_changed_at + s.rotation_interval_days * interval '24 hours' <= now())`;

const ORDER: Record<SecretListQuery["sort"], (dir: Prisma.Sql) => Prisma.Sql> = {
  name: (dir) => Prisma.sql`s.name ${dir}, e.name ${dir}, s.id`,
  environment: (dir) => Prisma.sql`e.name ${dir}, s.name ${dir}, s.id`,
  // Each tie-break matches an index of migration 20261124010000_secrets_list.
  updated: (dir) => Prisma.sql`s.updated_at ${dir}, s.id ${dir}`,
  lastResolved: (dir) => Prisma.sql`s.last_resolved_at ${dir} NULLS LAST, s.name, s.id`,
};

type Row = {
  id: string;
  name: string;
  environment: string;
  description: string;
  current_version: number;
  updated_at: Date;
  updated_by: string | null;
  last_resolved_at: Date | null;
  last_resolved_by: string | null;
  rotation_interval_days: number | null;
  value_changed_at: Date;
  expires_at: Date | null;
  deleted_at: Date | null;
  deleted_by: string | null;
  total: bigint;
};

/**
 * One page of the Secrets table (live or deleted), searched, filtered and sorted
 * in the database. The page and the total come from one statement; a page past the end (an old link, a filter that shrank the list) shows
 * the last page, and `page` says which one that is. Never reads a value.
 */
export async function listSecrets(tx: Tx, options: { workspaceId: string; query: SecretListQuery; environmentId?: string | null }): Promise<{ rows: SecretRow[]; total: number; page: number }> {
  const { workspaceId, query } = options;
  const conditions = [Prisma.sql`s.workspace_id = ${workspaceId}::uuid`];
  conditions.push(query.view === "deleted" ? Prisma.sql`s.deleted_at IS NOT NULL` : Prisma.sql`s.deleted_at IS NULL`);
  if (options.environmentId) conditions.push(Prisma.sql`s.environment_id = ${options.environmentId}::uuid`);
  if (query.q) conditions.push(Prisma.sql`(s.name ILIKE ${likePattern(query.q)} OR s.description ILIKE ${likePattern(query.q)})`);
  // Rotation matters for live secrets only; a deleted one resolves for nobody.
  if (query.view === "live" && query.status === "expired") conditions.push(EXPIRED_SQL);
  if (query.view === "live" && query.status === "rotation_due") conditions.push(ROTATION_DUE_SQL);
  const where = Prisma.join(conditions, " AND ");
  const order = ORDER[query.sort](query.dir === "desc" ? Prisma.sql`DESC` : Prisma.sql`ASC`);

  // One statement: the page in index order (LIMIT/OFFSET straight on the sorted
  // scan, the joins for the page's rows only) and the filtered total beside it.
  const pageOf = (page: number) => tx.$queryRaw<Row[]>`
    SELECT s.id::text AS id, s.name, e.name AS environment, s.description, s.current_version, s.updated_at,
           u.name AS updated_by, s.last_resolved_at, k.name AS last_resolved_by, s.rotation_interval_days,
           s.value_changed_at, s.expires_at, s.deleted_at, d.name AS deleted_by,
           (SELECT count(*) FROM secrets s WHERE ${where}) AS total
      FROM secrets s
      JOIN environments e ON e.id = s.environment_id
      LEFT JOIN users u ON u.id = s.updated_by_id
      LEFT JOIN users d ON d.id = s.deleted_by_id
      LEFT JOIN api_keys k ON k.id = s.last_resolved_by_key_id
     WHERE ${where}
     ORDER BY ${order}
     LIMIT ${query.size} OFFSET ${(page - 1) * query.size}`;

  let page = query.page;
  let rows = await pageOf(page);
  if (rows.length === 0 && page > 1) {
    // Past the end: count once, then show the last page of the same transaction's view.
    const [{ n }] = await tx.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM secrets s WHERE ${where}`;
    page = Math.max(1, Math.ceil(Number(n) / query.size));
    rows = Number(n) > 0 ? await pageOf(page) : [];
  }
  const now = new Date();
  return {
    total: rows.length > 0 ? Number(rows[0].total) : 0,
    page,
    rows: rows.map((r) => ({
      id: r.id,
      name: r.name,
      environment: r.environment,
      description: r.description,
      version: r.current_version,
      updatedAt: r.updated_at.toISOString(),
      updatedBy: r.updated_by,
      lastResolvedAt: r.last_resolved_at?.toISOString() ?? null,
      lastResolvedBy: r.last_resolved_by,
      status: rotationStatus({ rotationIntervalDays: r.rotation_interval_days, valueChangedAt: r.value_changed_at, expiresAt: r.expires_at }, now),
      deletedAt: r.deleted_at?.toISOString() ?? null,
      deletedBy: r.deleted_by,
    })),
  };
}
