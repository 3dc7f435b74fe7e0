"use server";

import { workspaceAction } from "../workspace-action";
import { createSecretSchema, SECRET_VALUE_MAX_BYTES } from "../../secrets/schemas";
import { createSecret as create } from "../../secrets/create-secret";

// The value goes in and never comes back: the answer names the secret only, and
// a refused form echoes every field but the value (lib/actions/create-action.ts).
export const createSecret = workspaceAction(
  "secrets.write",
  createSecretSchema,
  async ({ input, tx, membership, actor, context }) => create(tx, { workspaceId: membership.workspaceId, input, actor, context }),
  // A PEM bundle or a service account's JSON is longer than other fields may be.
  { maxLength: { value: SECRET_VALUE_MAX_BYTES } },
);
