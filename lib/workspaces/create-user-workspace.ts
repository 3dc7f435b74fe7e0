import "server-only";
import { randomUUID } from "node:crypto";
import { AppError } from "../errors";
import { getConfig } from "../config";
import { withWorkspace } from "../db/with-workspace";
import type { RequestContext } from "../http/request-context";
import { createWorkspace } from "./create-workspace";
import type { CreateWorkspaceInput } from "./schemas";

export const OPERATORS_ONLY = "On this instance only operators create workspaces. Ask an operator to create one and invite you.";

/**
 * A signed-in person creates a workspace and becomes its owner. With
 * WARDEN_WORKSPACE_CREATION=operators only operators may: the flag is read from the
 * person's row, locked in the transaction that creates the workspace, so an
 * operator demoted meanwhile is decided on what the write sees.
 */
export async function createUserWorkspace(options: { userId: string; input: CreateWorkspaceInput; context: RequestContext }): Promise<{ workspaceId: string; slug: string }> {
  const { userId, input, context } = options;
  const workspaceId = randomUUID();
  return withWorkspace(workspaceId, async (tx) => {
    const [user] = await tx.$queryRaw<{ id: string; email: string; is_operator: boolean }[]>`
      SELECT id::text AS id, email, is_operator FROM users WHERE id = ${userId}::uuid FOR SHARE`;
    if (!user) throw new AppError("unauthenticated", "Your session has ended. Sign in again.");
    if (getConfig().WARDEN_WORKSPACE_CREATION === "operators" && !user.is_operator) throw new AppError("forbidden", OPERATORS_ONLY);
    return createWorkspace(tx, {
      workspaceId,
      name: input.name,
      slug: input.slug,
      timeZone: input.timeZone,
      owner: { id: user.id, email: user.email },
      context,
      via: "console",
    });
  });
}
