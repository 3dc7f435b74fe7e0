import { cache } from "react";
import type { Membership } from "./membership";
import { getConsoleContext } from "./console-context";

/**
 * The caller's membership of the workspace named in the URL, or null. Callers
 * answer null with 404 so a workspace's existence never leaks to outsiders.
 * Read with the rest of the page's context (console-context.ts), once per request.
 */
export const resolveMembership = cache(async (userId: string, slug: string): Promise<Membership | null> => {
  if (!/^[a-z0-9-]{1,48}$/.test(slug)) return null;
  const { memberships } = await getConsoleContext(userId);
  return memberships.find((m) => m.slug === slug) ?? null;
});
