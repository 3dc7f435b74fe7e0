import { cache } from "react";
import type { Role } from "../generated/prisma/enums";
import { withUser } from "../db/system";

export type Membership = { workspaceId: string; slug: string; name: string; role: Role };

/**
 * The caller's membership of the workspace named in the URL, or null. Callers
 * answer null with 404 so a workspace's existence never leaks to outsiders.
 */
export const resolveMembership = cache(async (userId: string, slug: string): Promise<Membership | null> => {
  if (!/^[a-z0-9-]{1,48}$/.test(slug)) return null;
  return withUser(userId, async (tx) => {
    const row = await tx.membership.findFirst({
      where: { userId, workspace: { slug } },
      select: { role: true, workspace: { select: { id: true, slug: true, name: true } } },
    });
    return row ? { workspaceId: row.workspace.id, slug: row.workspace.slug, name: row.workspace.name, role: row.role } : null;
  });
});
