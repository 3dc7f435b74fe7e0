import { cache } from "react";
import type { Role } from "../generated/prisma/enums";
import { withUser } from "../db/system";

export type Membership = {
  workspaceId: string;
  slug: string;
  name: string;
  role: Role;
  policy: { mfa: string; stepUpRequired: boolean; stepUpWindowMinutes: number };
};

const workspaceSelect = { id: true, slug: true, name: true, mfaPolicy: true, stepUpRequired: true, stepUpWindowMinutes: true } as const;

export function toMembership(row: { role: Role; workspace: { id: string; slug: string; name: string; mfaPolicy: string; stepUpRequired: boolean; stepUpWindowMinutes: number } }): Membership {
  const w = row.workspace;
  return { workspaceId: w.id, slug: w.slug, name: w.name, role: row.role, policy: { mfa: w.mfaPolicy, stepUpRequired: w.stepUpRequired, stepUpWindowMinutes: w.stepUpWindowMinutes } };
}

/**
 * The caller's membership of the workspace named in the URL, or null. Callers
 * answer null with 404 so a workspace's existence never leaks to outsiders.
 */
export { workspaceSelect };

export const resolveMembership = cache(async (userId: string, slug: string): Promise<Membership | null> => {
  if (!/^[a-z0-9-]{1,48}$/.test(slug)) return null;
  return withUser(userId, async (tx) => {
    const row = await tx.membership.findFirst({
      where: { userId, workspace: { slug } },
      select: { role: true, workspace: { select: workspaceSelect } },
    });
    return row ? toMembership(row) : null;
  });
});
