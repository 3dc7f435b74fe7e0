"use server";

import { workspaceAction } from "../workspace-action";
import { createAgentSchema } from "../../agents/schemas";
import { createAgent as create } from "../../agents/create-agent";

// A new agent comes with its cap: agents.manage creates it, whatever cap it starts with.
export const createAgent = workspaceAction("agents.manage", createAgentSchema, async ({ input, tx, membership, actor, context }) =>
  create(tx, { workspaceId: membership.workspaceId, input, actor, context }),
);
