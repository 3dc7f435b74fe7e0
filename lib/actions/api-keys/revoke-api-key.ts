"use server";

import { workspaceAction } from "../workspace-action";
import { apiKeyTargetSchema } from "../../api-keys/schemas";
import { revokeApiKey as revoke } from "../../api-keys/revoke-api-key";

export const revokeApiKey = workspaceAction("api_keys.manage", apiKeyTargetSchema, async ({ input, tx, membership, actor, context }) =>
  revoke(tx, { workspaceId: membership.workspaceId, apiKeyId: input.apiKeyId, actor, context }),
);
