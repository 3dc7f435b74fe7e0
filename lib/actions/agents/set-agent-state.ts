"use server";

import { workspaceAction } from "../workspace-action";
import { setAgentStateSchema } from "../../agents/schemas";
import { setAgentState as setState } from "../../agents/set-agent-state";

// Pausing or archiving stops an agent's spending: a budget decision (budgets.write).
export const setAgentState = workspaceAction("budgets.write", setAgentStateSchema, async ({ input, tx, membership, actor, context }) =>
  setState(tx, { workspaceId: membership.workspaceId, agentId: input.agentId, state: input.state, actor, context }),
);
