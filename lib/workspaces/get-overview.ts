import "server-only";
import { withWorkspace, type Tx } from "../db/with-workspace";
import { listMembersLackingMfa, type MemberLackingMfa } from "../security-policy/list-members-lacking-mfa";
import { describeEvent } from "../audit/describe-audit-event";
import { countSecretsNeedingAttention, type SecretsAttention } from "../secrets/count-secrets-needing-attention";
import { isUuid } from "../validation/safe-input";
import { getUsageGlance, type UsageGlance } from "../usage/get-usage-glance";

export type RecentEvent = { id: string; sentence: string; action: string; occurredAt: string };

export type Overview = {
  members: number;
  withMfa: number;
  lackingMfa: { members: MemberLackingMfa[]; total: number };
  /** Null when the viewer may not read the audit log. */
  recentEvents: RecentEvent[] | null;
  /** Live secrets past their expiry or rotation interval; null when the viewer may not see secrets. */
  secrets: SecretsAttention | null;
  /** The 30-day conversations, today's spend and halted agents; null when the viewer may not read usage. */
  usage: UsageGlance | null;
};

/**
 * Everything the overview shows, read in one transaction so the counts, the
 * people lacking MFA and the events describe the same moment.
 */
export async function getOverview(options: { workspaceId: string; policy: string; includeEvents: boolean; includeSecrets?: boolean; includeUsage?: boolean; now?: Date }): Promise<Overview> {
  const { workspaceId } = options;
  return withWorkspace(workspaceId, async (tx) => {
    const [{ members, with_mfa: withMfa }] = await tx.$queryRaw<{ members: number; with_mfa: number }[]>`
      SELECT count(*)::int AS members, count(*) FILTER (WHERE u.mfa_enabled_at IS NOT NULL)::int AS with_mfa
        FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.workspace_id = ${workspaceId}::uuid`;
    const lackingMfa = await listMembersLackingMfa(tx, { workspaceId, policy: options.policy, limit: 20 });
    const recentEvents = options.includeEvents ? await recentEventSentences(tx, workspaceId) : null;
    const secrets = options.includeSecrets ? await countSecretsNeedingAttention(tx, { workspaceId }) : null;
    const usage = options.includeUsage ? await getUsageGlance(tx, { workspaceId, now: options.now ?? new Date() }) : null;
    return { members, withMfa, lackingMfa, recentEvents, secrets, usage };
  });
}

async function recentEventSentences(tx: Tx, workspaceId: string): Promise<RecentEvent[]> {
  const events = await tx.auditEvent.findMany({
    where: { workspaceId },
    orderBy: { seq: "desc" },
    take: 8,
    select: { id: true, action: true, actorId: true, actorLabel: true, targetType: true, targetId: true, metadata: true, occurredAt: true },
  });
  // People are named as the workspace knows them now (its current members);
  // anyone else by the label the event recorded, so no name leaks from outside.
  const userIds = new Set<string>();
  // A target id is whatever its writer recorded (an API key may write events): only
  // UUIDs are looked up, so a malformed one is shown by its label, never a query error.
  for (const e of events) {
    if (e.actorId) userIds.add(e.actorId);
    if (e.targetType === "user" && e.targetId && isUuid(e.targetId)) userIds.add(e.targetId);
  }
  const invitationIds = events.filter((e) => e.targetType === "invitation" && e.targetId && isUuid(e.targetId)).map((e) => e.targetId!);
  const [memberRows, invitationRows] = await Promise.all([
    tx.$queryRaw<{ id: string; name: string }[]>`
      SELECT u.id::text AS id, u.name FROM memberships m JOIN users u ON u.id = m.user_id
       WHERE m.workspace_id = ${workspaceId}::uuid AND m.user_id = ANY(${[...userIds]}::uuid[])`,
    invitationIds.length > 0 ? tx.invitation.findMany({ where: { workspaceId, id: { in: invitationIds } }, select: { id: true, email: true } }) : [],
  ]);
  const names = new Map(memberRows.map((m) => [m.id, m.name]));
  const invitations = new Map(invitationRows.map((i) => [i.id, i.email]));

  return events.map((e) => {
    const metadata = (e.metadata ?? {}) as Record<string, unknown>;
    const actor = (e.actorId && names.get(e.actorId)) || e.actorLabel || "Warden";
    const target = e.targetType === "user" && e.targetId ? (names.get(e.targetId) ?? null) : e.targetType === "invitation" && e.targetId ? (invitations.get(e.targetId) ?? null) : null;
    return { id: e.id, action: e.action, occurredAt: e.occurredAt.toISOString(), sentence: describeEvent({ action: e.action, actor, target, metadata }) };
  });
}
