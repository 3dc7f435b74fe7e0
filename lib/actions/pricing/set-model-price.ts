"use server";

import { workspaceAction } from "../workspace-action";
import { setModelPriceSchema } from "../../pricing/schemas";
import { setModelPrice as set } from "../../pricing/set-model-price";

// Prices decide what every authorization costs: owners and admins (budgets.write) set them.
export const setModelPrice = workspaceAction("budgets.write", setModelPriceSchema, async ({ input, tx, membership, actor, context }) =>
  set(tx, { workspaceId: membership.workspaceId, input, actor, context }),
);
