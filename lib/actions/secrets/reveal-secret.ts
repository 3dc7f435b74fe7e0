"use server";

import { workspaceAction } from "../workspace-action";
import { revealSecretSchema } from "../../secrets/schemas";
import { revealSecret as reveal } from "../../secrets/reveal-secret";

/**
 * The one way a person sees a value: owners only, and always after a fresh MFA
 * check within the workspace's window, whatever its step-up setting. The value
 * travels only in this action's own response (Next answers server actions with
 * Cache-Control: no-store), never in a page or its payload.
 */
export const revealSecret = workspaceAction(
  "secrets.reveal",
  revealSecretSchema,
  async ({ input, tx, membership, actor, context }) => reveal(tx, { workspaceId: membership.workspaceId, secretId: input.secretId, version: input.version, actor, context }),
  { stepUp: "always" },
);
