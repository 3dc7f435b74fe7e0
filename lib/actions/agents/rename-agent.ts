"use server";

import { workspaceAction } from "../workspace-action";
import { renameAgentSchema } from "../../agents/schemas";
import { renameAgent as rename } from "../../agents/rename-agent";

export const renameAgent = workspaceAction("agents.manage", renameAgentSchema, async ({ input, tx, membership, actor, context }) =>
  rename(tx, { workspaceId: membership.workspaceId, agentId: input.agentId, name: input.name, actor, context }),
);
