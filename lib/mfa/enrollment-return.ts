import "server-only";
import { resolveMembership } from "../workspaces/resolve-membership";
import { safeReturnPath } from "../security/safe-return-path";

export type EnrollmentReturn = { workspaceName: string; href: string };

/**
 * Where a person held at enrollment by a workspace's policy goes once enrolled:
 * the page of that workspace they opened, if it is a safe path inside it, else
 * its overview. Null unless the person is a member, so the page never confirms
 * that someone else's workspace exists or shows its name.
 */
export async function enrollmentReturn(userId: string, slug: unknown, next: unknown): Promise<EnrollmentReturn | null> {
  if (typeof slug !== "string") return null;
  const membership = await resolveMembership(userId, slug);
  if (!membership) return null;
  const home = `/w/${membership.slug}`;
  const path = safeReturnPath(next, home);
  const inside = path === home || path.startsWith(`${home}/`) || path.startsWith(`${home}?`);
  return { workspaceName: membership.name, href: inside ? path : home };
}
