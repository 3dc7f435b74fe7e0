"use server";

import { workspaceAction } from "../workspace-action";
import { updateAgentBudgetSchema } from "../../agents/schemas";
import { updateAgentBudget as update } from "../../agents/update-agent-budget";

export const updateAgentBudget = workspaceAction("budgets.write", updateAgentBudgetSchema, async ({ input, tx, membership, actor, context }) =>
  update(tx, { workspaceId: membership.workspaceId, input, actor, context }),
);
