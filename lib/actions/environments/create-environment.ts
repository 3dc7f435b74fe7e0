"use server";

import { workspaceAction } from "../workspace-action";
import { createEnvironmentSchema } from "../../secrets/schemas";
import { createEnvironment as create } from "../../secrets/create-environment";

export const createEnvironment = workspaceAction("environments.manage", createEnvironmentSchema, async ({ input, tx, membership, actor, context }) =>
  create(tx, { workspaceId: membership.workspaceId, name: input.name, actor, context }),
);
