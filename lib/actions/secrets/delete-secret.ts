"use server";

import { workspaceAction } from "../workspace-action";
import { secretTargetSchema } from "../../secrets/schemas";
import { deleteSecret as remove } from "../../secrets/delete-secret";

export const deleteSecret = workspaceAction("secrets.delete", secretTargetSchema, async ({ input, tx, membership, actor, context }) =>
  remove(tx, { workspaceId: membership.workspaceId, secretId: input.secretId, actor, context }),
);
