import "server-only";
import { getConfig } from "../config";
import { withSystem } from "../db/system";

/**
 * Whether the switcher offers "Create workspace" to this person. Only hides the
 * entry: createUserWorkspace decides again, in its own transaction.
 */
export async function mayCreateWorkspace(userId: string): Promise<boolean> {
  if (getConfig().WARDEN_WORKSPACE_CREATION === "anyone") return true;
  const user = await withSystem((tx) => tx.user.findUnique({ where: { id: userId }, select: { isOperator: true } }));
  return user?.isOperator === true;
}
