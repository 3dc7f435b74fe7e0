import type { Role } from "../generated/prisma/enums";

export const MFA_POLICIES = ["none", "admins", "all"] as const;
export type MfaPolicy = (typeof MFA_POLICIES)[number];

/** Whether a workspace's policy requires MFA of a member with this role. */
export function mfaRequiredFor(policy: string, role: Role): boolean {
  if (policy === "all") return true;
  if (policy === "admins") return role === "owner" || role === "admin";
  return false;
}

export const describePolicy: Record<MfaPolicy, string> = {
  none: "Nobody is required to use MFA",
  admins: "Owners and admins must use MFA",
  all: "Every member must use MFA",
};
