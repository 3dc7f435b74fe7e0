"use server";

import { workspaceAction } from "../workspace-action";
import { apiKeyTargetSchema } from "../../api-keys/schemas";
import { revokeApiKey as revoke } from "../../api-keys/revoke-api-key";

// Members with api_keys.manage revoke their own keys; others' keys need api_keys.revoke_any and the role rules.
export const revokeApiKey = workspaceAction("api_keys.manage", apiKeyTargetSchema, async ({ input, tx, membership, actor, context }) =>
  revoke(tx, { workspaceId: membership.workspaceId, apiKeyId: input.apiKeyId, actorRole: membership.role, actor, context }),
);
