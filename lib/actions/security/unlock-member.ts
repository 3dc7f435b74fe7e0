"use server";

import { z } from "zod";
import { workspaceAction } from "../workspace-action";
import { unlockMember as unlock } from "../../members/unlock-member";

export const unlockMember = workspaceAction("members.unlock", z.object({ userId: z.uuid() }), async ({ input, tx, membership, actor, context }) =>
  unlock(tx, { workspaceId: membership.workspaceId, userId: input.userId, actorRole: membership.role, actor, context }),
);
