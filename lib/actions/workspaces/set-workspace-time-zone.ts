"use server";

import { workspaceAction } from "../workspace-action";
import { setWorkspaceTimeZoneSchema } from "../../workspaces/schemas";
import { updateWorkspaceSettings } from "../../workspaces/update-workspace-settings";

export const setWorkspaceTimeZone = workspaceAction("workspace.update", setWorkspaceTimeZoneSchema, async ({ input, tx, membership, actor, context }) =>
  updateWorkspaceSettings(tx, { workspaceId: membership.workspaceId, patch: { timeZone: input.timeZone }, actor, context }),
);
