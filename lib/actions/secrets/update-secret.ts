"use server";

import { workspaceAction } from "../workspace-action";
import { SECRET_VALUE_MAX_BYTES, updateSecretSchema } from "../../secrets/schemas";
import { updateSecret as update } from "../../secrets/update-secret";

// The new value (field `value`) is never echoed back after a refusal (createAction's NEVER_ECHO).
export const updateSecret = workspaceAction(
  "secrets.write",
  updateSecretSchema,
  async ({ input, tx, membership, actor, context }) => update(tx, { workspaceId: membership.workspaceId, input, actor, context }),
  // A PEM bundle or a service account's JSON is longer than other fields may be.
  { maxLength: { value: SECRET_VALUE_MAX_BYTES } },
);
