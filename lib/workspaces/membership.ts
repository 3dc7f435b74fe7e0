import type { Role } from "../generated/prisma/enums";

/** A person's membership of one workspace, with the workspace's policies the checks need. */
export type Membership = {
  workspaceId: string;
  slug: string;
  name: string;
  role: Role;
  policy: { mfa: string; stepUpRequired: boolean; stepUpWindowMinutes: number };
};

/** A membership as SQL reads it (memberships joined to workspaces). */
export type MembershipRow = { role: Role; id: string; slug: string; name: string; mfa_policy: string; step_up_required: boolean; step_up_window_minutes: number };

export function toMembership(row: MembershipRow): Membership {
  return {
    workspaceId: row.id,
    slug: row.slug,
    name: row.name,
    role: row.role,
    policy: { mfa: row.mfa_policy, stepUpRequired: row.step_up_required, stepUpWindowMinutes: row.step_up_window_minutes },
  };
}
