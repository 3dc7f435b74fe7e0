"use server";

import { workspaceAction } from "../workspace-action";
import { changeWorkspaceSlugSchema } from "../../workspaces/schemas";
import { changeWorkspaceSlug as change } from "../../workspaces/change-workspace-slug";

// Every link to the workspace breaks: a fresh MFA check where the workspace asks for one.
// No fresh render of the page that asked: it is at the old address, now a 404; the
// form loads the new address itself (components/workspaces/workspace-settings-forms.tsx).
export const changeWorkspaceSlug = workspaceAction(
  "workspace.update",
  changeWorkspaceSlugSchema,
  async ({ input, tx, membership, actor, context }) => change(tx, { workspaceId: membership.workspaceId, slug: input.slug, actor, context }),
  { stepUp: true, revalidate: false },
);
