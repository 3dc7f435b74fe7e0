"use server";

import { workspaceAction } from "../workspace-action";
import { secretVersionTargetSchema } from "../../secrets/schemas";
import { rollbackSecret as rollback } from "../../secrets/rollback-secret";

export const rollbackSecret = workspaceAction("secrets.write", secretVersionTargetSchema, async ({ input, tx, membership, actor, context }) =>
  rollback(tx, { workspaceId: membership.workspaceId, secretId: input.secretId, version: input.version, actor, context }),
);
