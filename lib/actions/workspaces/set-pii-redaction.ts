"use server";

import { workspaceAction } from "../workspace-action";
import { setPiiRedactionSchema } from "../../workspaces/schemas";
import { updateWorkspaceSettings } from "../../workspaces/update-workspace-settings";

// Turning redaction off lets personal data into stored usage and logs: a fresh MFA check where the workspace asks for one.
export const setPiiRedaction = workspaceAction(
  "workspace.update",
  setPiiRedactionSchema,
  async ({ input, tx, membership, actor, context }) => updateWorkspaceSettings(tx, { workspaceId: membership.workspaceId, patch: { piiRedaction: input.pii }, actor, context }),
  { stepUp: true },
);
