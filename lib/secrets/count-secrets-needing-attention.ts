import "server-only";
import type { Tx } from "../db/with-workspace";
import { EXPIRED_SQL, ROTATION_DUE_SQL } from "./list-secrets";

export type SecretsAttention = { expired: number; rotationDue: number };

/** Live secrets whose expiry or rotation interval has passed: the page's banner and the overview's flag. */
export async function countSecretsNeedingAttention(tx: Tx, options: { workspaceId: string }): Promise<SecretsAttention> {
  const [row] = await tx.$queryRaw<{ expired: bigint; rotation_due: bigint }[]>`
    SELECT count(*) FILTER (WHERE ${EXPIRED_SQL}) AS expired, count(*) FILTER (WHERE ${ROTATION_DUE_SQL}) AS rotation_due
      FROM secrets s
     WHERE s.workspace_id = ${options.workspaceId}::uuid AND s.deleted_at IS NULL
       AND (s.expires_at IS NOT NULL OR s.rotation_interval_days IS NOT NULL)`;
  return { expired: Number(row.expired), rotationDue: Number(row.rotation_due) };
}
