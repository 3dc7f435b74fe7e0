"use server";

import { workspaceAction } from "../workspace-action";
import { secretVersionTargetSchema } from "../../secrets/schemas";
import { destroySecretVersion as destroy } from "../../secrets/destroy-secret-version";

// The value is gone for good: a step-up action where the workspace asks for them.
export const destroySecretVersion = workspaceAction(
  "secrets.delete",
  secretVersionTargetSchema,
  async ({ input, tx, membership, actor, context }) => destroy(tx, { workspaceId: membership.workspaceId, secretId: input.secretId, version: input.version, actor, context }),
  { stepUp: true },
);
