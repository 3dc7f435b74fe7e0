import { getConsoleContext } from "./console-context";
import type { Membership } from "./membership";

/** The person's workspaces, by name (read with the rest of the page's context, once per request). */
export async function listMyWorkspaces(userId: string): Promise<Membership[]> {
  return (await getConsoleContext(userId)).memberships;
}
