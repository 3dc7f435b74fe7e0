"use server";

import { workspaceAction } from "../workspace-action";
import { changeWorkspaceSlugSchema } from "../../workspaces/schemas";
import { changeWorkspaceSlug as change } from "../../workspaces/change-workspace-slug";

// Every link to the workspace breaks: a fresh MFA check where the workspace asks for one.
export const changeWorkspaceSlug = workspaceAction(
  "workspace.update",
  changeWorkspaceSlugSchema,
  async ({ input, tx, membership, actor, context }) => change(tx, { workspaceId: membership.workspaceId, slug: input.slug, actor, context }),
  { stepUp: true },
);
