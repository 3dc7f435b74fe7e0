import { withWorkspace } from "../db/with-workspace";
import type { Prisma } from "../generated/prisma/client";
import type { MemberQuery } from "./schemas";

export type MemberRow = {
  userId: string;
  name: string;
  email: string;
  role: string;
  mfa: boolean;
  lastActive: string | null;
  joined: string;
};

const ORDER: Record<MemberQuery["sort"], (dir: "asc" | "desc") => Prisma.MembershipOrderByWithRelationInput[]> = {
  name: (dir) => [{ user: { name: dir } }, { userId: "asc" }],
  email: (dir) => [{ user: { email: dir } }],
  role: (dir) => [{ role: dir }, { userId: "asc" }],
  joined: (dir) => [{ createdAt: dir }, { userId: "asc" }],
  lastActive: (dir) => [{ user: { lastSeenAt: { sort: dir, nulls: "last" } } }, { userId: "asc" }],
};

/**
 * One page of the members table: searched, filtered and sorted in the database. A
 * page past the end (an old link, a filter that shrank the list) shows the last
 * page, and `page` says which one that is.
 */
export async function listMembers(workspaceId: string, query: MemberQuery): Promise<{ rows: MemberRow[]; total: number; page: number }> {
  const where: Prisma.MembershipWhereInput = {
    workspaceId,
    ...(query.role ? { role: query.role } : {}),
    user: {
      ...(query.q ? { OR: [{ name: { contains: query.q, mode: "insensitive" } }, { email: { contains: query.q, mode: "insensitive" } }] } : {}),
      ...(query.mfa === "on" ? { mfaEnabledAt: { not: null } } : query.mfa === "off" ? { mfaEnabledAt: null } : {}),
    },
  };
  return withWorkspace(workspaceId, async (tx) => {
    // Counted first, in the same transaction, so the clamped page is a page of the same list.
    const total = await tx.membership.count({ where });
    const page = Math.min(query.page, Math.max(1, Math.ceil(total / query.size)));
    const rows = await tx.membership.findMany({
      where,
      orderBy: ORDER[query.sort](query.dir),
      skip: (page - 1) * query.size,
      take: query.size,
      select: { role: true, createdAt: true, user: { select: { id: true, name: true, email: true, mfaEnabledAt: true, lastSeenAt: true } } },
    });
    return {
      total,
      page,
      rows: rows.map((r) => ({
        userId: r.user.id,
        name: r.user.name,
        email: r.user.email,
        role: r.role,
        mfa: Boolean(r.user.mfaEnabledAt),
        lastActive: r.user.lastSeenAt?.toISOString() ?? null,
        joined: r.createdAt.toISOString(),
      })),
    };
  });
}
