"use server";

import { workspaceAction } from "../workspace-action";
import { renameEnvironmentSchema } from "../../secrets/schemas";
import { renameEnvironment as rename } from "../../secrets/rename-environment";

export const renameEnvironment = workspaceAction("environments.manage", renameEnvironmentSchema, async ({ input, tx, membership, actor, context }) =>
  rename(tx, { workspaceId: membership.workspaceId, environmentId: input.environmentId, name: input.name, actor, context }),
);
