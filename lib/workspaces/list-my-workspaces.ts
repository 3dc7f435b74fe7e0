import { cache } from "react";
import { withUser } from "../db/system";
import type { Membership } from "./resolve-membership";

export const listMyWorkspaces = cache(async (userId: string): Promise<Membership[]> => {
  return withUser(userId, async (tx) => {
    const rows = await tx.membership.findMany({
      where: { userId },
      select: { role: true, workspace: { select: { id: true, slug: true, name: true } } },
      orderBy: { workspace: { name: "asc" } },
    });
    return rows.map((r) => ({ workspaceId: r.workspace.id, slug: r.workspace.slug, name: r.workspace.name, role: r.role }));
  });
});
