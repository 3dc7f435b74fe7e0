import "server-only";
import type { Tx } from "../db/with-workspace";
import { likePattern } from "../db/like-pattern";

/** Someone whose events the audit log can be filtered by: `value` is the filter's `actor`. */
export type AuditActorOption = { value: string; label: string; kind: "member" | "api_key" };

const MATCHES_PER_KIND = 10;

/**
 * The members and API keys whose name, email or key prefix holds `text`, a few of
 * each: the actor filter asks as the person types, so a workspace of any size is
 * searched rather than listed in full on every page.
 */
export async function findAuditActors(tx: Tx, workspaceId: string, text: string): Promise<AuditActorOption[]> {
  const pattern = likePattern(text.trim());
  return tx.$queryRaw<AuditActorOption[]>`
    (SELECT 'user:' || m.user_id AS value, u.name || ' (' || u.email || ')' AS label, 'member' AS kind
       FROM memberships m JOIN users u ON u.id = m.user_id
      WHERE m.workspace_id = ${workspaceId}::uuid AND (u.name ILIKE ${pattern} OR u.email ILIKE ${pattern})
      ORDER BY u.name, m.user_id LIMIT ${MATCHES_PER_KIND})
    UNION ALL
    (SELECT 'api_key:' || k.id, k.name || ' (' || k.prefix || '…)', 'api_key'
       FROM api_keys k
      WHERE k.workspace_id = ${workspaceId}::uuid AND (k.name ILIKE ${pattern} OR k.prefix ILIKE ${pattern})
      ORDER BY k.created_at DESC, k.id LIMIT ${MATCHES_PER_KIND})`;
}

/** The option a filter's `actor` names, or null when it names no current member or key of the workspace. */
export async function describeAuditActor(tx: Tx, workspaceId: string, actor: string): Promise<AuditActorOption | null> {
  const [kind, id] = actor.split(":");
  const rows =
    kind === "user"
      ? await tx.$queryRaw<AuditActorOption[]>`
          SELECT 'user:' || m.user_id AS value, u.name || ' (' || u.email || ')' AS label, 'member' AS kind
            FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.workspace_id = ${workspaceId}::uuid AND m.user_id = ${id}::uuid`
      : await tx.$queryRaw<AuditActorOption[]>`
          SELECT 'api_key:' || k.id AS value, k.name || ' (' || k.prefix || '…)' AS label, 'api_key' AS kind
            FROM api_keys k WHERE k.workspace_id = ${workspaceId}::uuid AND k.id = ${id}::uuid`;
  return rows[0] ?? null;
}
