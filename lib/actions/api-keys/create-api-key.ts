"use server";

import { workspaceAction } from "../workspace-action";
import { createApiKeySchema } from "../../api-keys/schemas";
import { expiresAtFrom } from "../../api-keys/expiry";
import { createApiKey as create } from "../../api-keys/create-api-key";

// The one place the full key is ever shown: in this answer, for the creator to copy.
// Minting a credential is sensitive: it asks for a fresh MFA check where the workspace requires step-up.
export const createApiKey = workspaceAction(
  "api_keys.manage",
  createApiKeySchema,
  async ({ input, tx, membership, actor, context }) =>
    create(tx, {
      workspaceId: membership.workspaceId,
      name: input.name,
      scopes: input.scopes,
      expiresAt: expiresAtFrom(input),
      environmentId: input.environmentId ?? null,
      secretNames: input.secretNames,
      agentId: input.agentId ?? null,
      // The kinds ticked count only when the key has its own redaction.
      piiRedaction: input.piiRedaction === "key" ? input.piiKinds : null,
      actorRole: membership.role,
      actor,
      context,
    }),
  { stepUp: true },
);
