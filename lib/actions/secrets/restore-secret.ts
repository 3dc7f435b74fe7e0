"use server";

import { workspaceAction } from "../workspace-action";
import { secretTargetSchema } from "../../secrets/schemas";
import { restoreSecret as restore } from "../../secrets/restore-secret";

export const restoreSecret = workspaceAction("secrets.delete", secretTargetSchema, async ({ input, tx, membership, actor, context }) =>
  restore(tx, { workspaceId: membership.workspaceId, secretId: input.secretId, actor, context }),
);
