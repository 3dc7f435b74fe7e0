"use server";

import { workspaceAction } from "../workspace-action";
import { renameWorkspaceSchema } from "../../workspaces/schemas";
import { renameWorkspace as rename } from "../../workspaces/rename-workspace";

export const renameWorkspace = workspaceAction("workspace.update", renameWorkspaceSchema, async ({ input, tx, membership, actor, context }) =>
  rename(tx, { workspaceId: membership.workspaceId, name: input.name, actor, context }),
);
