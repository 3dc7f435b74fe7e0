import type { Tx } from "../db/with-workspace";
import type { AuditEventView } from "./schemas";
import { isUuid } from "../validation/safe-input";

export type AuditNames = {
  /** Current members only. */
  users: Map<string, { name: string; email: string }>;
  /** The email each user actor had when they acted, from the events themselves: names a former member targeted elsewhere on the page. */
  recordedLabels: Map<string, string>;
  apiKeys: Map<string, { name: string; prefix: string }>;
  invitations: Map<string, string>;
};

// Target ids are free text in the log (a session's reference, an id from an older
// version); only UUIDs can name a row, and a non-UUID would fail the uuid comparison.

/**
 * The names behind the ids of a page of events, in three batched reads whatever
 * the page's size (never one per row), all under the workspace's RLS. People are
 * named as the workspace knows them now, through its memberships, like the
 * overview: users is not tenant-scoped, and a name from outside the workspace
 * (someone who left, then renamed) is not the workspace's to show. Who has left is
 * named by what the event itself recorded (the actor's label, metadata.email).
 */
export async function resolveAuditNames(tx: Tx, workspaceId: string, events: AuditEventView[]): Promise<AuditNames> {
  const ids = { user: new Set<string>(), api_key: new Set<string>(), invitation: new Set<string>() };
  const add = (type: string, id: string | null | undefined) => {
    if (id && isUuid(id) && type in ids) ids[type as keyof typeof ids].add(id.toLowerCase());
  };
  const recordedLabels = new Map<string, string>();
  for (const event of events) {
    add(event.actor.type, event.actor.id);
    if (event.actor.type === "user" && event.actor.id && event.actor.label) recordedLabels.set(event.actor.id.toLowerCase(), event.actor.label);
    if (event.target) add(event.target.type, event.target.id);
  }
  const [users, apiKeys, invitations] = await Promise.all([
    ids.user.size
      ? tx.$queryRaw<{ id: string; name: string; email: string }[]>`
          SELECT u.id::text AS id, u.name, u.email FROM memberships m JOIN users u ON u.id = m.user_id
           WHERE m.workspace_id = ${workspaceId}::uuid AND m.user_id = ANY(${[...ids.user]}::uuid[])`
      : [],
    ids.api_key.size ? tx.apiKey.findMany({ where: { workspaceId, id: { in: [...ids.api_key] } }, select: { id: true, name: true, prefix: true } }) : [],
    ids.invitation.size ? tx.invitation.findMany({ where: { workspaceId, id: { in: [...ids.invitation] } }, select: { id: true, email: true } }) : [],
  ]);
  return {
    users: new Map(users.map((user) => [user.id, { name: user.name, email: user.email }])),
    apiKeys: new Map(apiKeys.map((k) => [k.id, { name: k.name, prefix: k.prefix }])),
    invitations: new Map(invitations.map((i) => [i.id, i.email])),
    recordedLabels,
  };
}
