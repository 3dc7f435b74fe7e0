"use server";

import { z } from "zod";
import { workspaceAction } from "../workspace-action";
import { leaveWorkspace as leave } from "../../members/leave-workspace";

export const leaveWorkspace = workspaceAction(
  "workspace.read",
  z.object({}),
  async ({ tx, membership, actor, session, context }) => {
    await leave(tx, { workspaceId: membership.workspaceId, actorRole: membership.role, actorId: session.user.id, actor, context });
    return { left: true };
  },
  { changesMembers: true },
);
