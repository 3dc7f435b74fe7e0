import { cache } from "react";
import { withUser } from "../db/system";
import { toMembership, workspaceSelect, type Membership } from "./resolve-membership";

export const listMyWorkspaces = cache(async (userId: string): Promise<Membership[]> => {
  return withUser(userId, async (tx) => {
    const rows = await tx.membership.findMany({
      where: { userId },
      select: { role: true, workspace: { select: workspaceSelect } },
      orderBy: { workspace: { name: "asc" } },
    });
    return rows.map(toMembership);
  });
});
