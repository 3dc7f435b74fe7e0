"use server";

import { workspaceAction } from "../workspace-action";
import { AppError } from "../../errors";
import { auditRetentionDays, setAuditRetentionSchema } from "../../workspaces/schemas";
import { updateWorkspaceSettings } from "../../workspaces/update-workspace-settings";

// Shortening retention lets the daily job remove events for good: a fresh MFA check where the workspace asks for one.
export const setAuditRetention = workspaceAction(
  "workspace.update",
  setAuditRetentionSchema,
  async ({ input, tx, membership, actor, context }) => {
    const days = auditRetentionDays(input);
    if (days === "missing") throw new AppError("invalid_input", "Check the highlighted fields.", { retentionDays: ["Enter a number of days"] });
    return updateWorkspaceSettings(tx, { workspaceId: membership.workspaceId, patch: { auditRetentionDays: days }, actor, context });
  },
  { stepUp: true },
);
