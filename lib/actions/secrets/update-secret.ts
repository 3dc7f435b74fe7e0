"use server";

import { workspaceAction } from "../workspace-action";
import { updateSecretSchema } from "../../secrets/schemas";
import { updateSecret as update } from "../../secrets/update-secret";

// The new value (field `value`) is never echoed back after a refusal (createAction's NEVER_ECHO).
export const updateSecret = workspaceAction("secrets.write", updateSecretSchema, async ({ input, tx, membership, actor, context }) =>
  update(tx, { workspaceId: membership.workspaceId, input, actor, context }),
);
