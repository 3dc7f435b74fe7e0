import type { Tx } from "../db/with-workspace";
import type { Role } from "../generated/prisma/enums";
import { MFA_POLICIES, type MfaPolicy } from "../mfa/mfa-policy";

export type MemberLackingMfa = { userId: string; name: string; email: string; role: Role };

// The roles each policy covers; the same rule as mfaRequiredFor, as a filter the database applies.
const COVERED: Record<MfaPolicy, Role[]> = { none: [], admins: ["owner", "admin"], all: ["owner", "admin", "developer", "editor", "viewer"] };

/**
 * Members a policy would oblige to use MFA who have not set it up: under the
 * current policy, who is held at enrollment now; under a chosen one, who will be
 * once it is saved. Read in the caller's withWorkspace transaction.
 */
export async function listMembersLackingMfa(tx: Tx, options: { workspaceId: string; policy: string; limit?: number }): Promise<{ members: MemberLackingMfa[]; total: number }> {
  const policy = (MFA_POLICIES as readonly string[]).includes(options.policy) ? (options.policy as MfaPolicy) : "none";
  if (COVERED[policy].length === 0) return { members: [], total: 0 };
  const where = { workspaceId: options.workspaceId, role: { in: COVERED[policy] }, user: { mfaEnabledAt: null } };
  const [rows, total] = await Promise.all([
    tx.membership.findMany({
      where,
      orderBy: [{ user: { name: "asc" } }, { userId: "asc" }],
      take: options.limit ?? 50,
      select: { role: true, user: { select: { id: true, name: true, email: true } } },
    }),
    tx.membership.count({ where }),
  ]);
  return { members: rows.map((r) => ({ userId: r.user.id, name: r.user.name, email: r.user.email, role: r.role })), total };
}
