import "server-only";
import { getConfig } from "../config";
import { getConsoleContext } from "./console-context";

/**
 * Whether the switcher offers "Create workspace" to this person. Only hides the
 * entry: createUserWorkspace decides again, in its own transaction.
 */
export async function mayCreateWorkspace(userId: string): Promise<boolean> {
  if (getConfig().WARDEN_WORKSPACE_CREATION === "anyone") return true;
  return (await getConsoleContext(userId)).isOperator;
}
