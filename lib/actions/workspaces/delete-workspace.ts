"use server";

import { z } from "zod";
import { workspaceAction } from "../workspace-action";
import { deleteWorkspace as deleteWorkspaceFor } from "../../workspaces/delete-workspace";

const schema = z.object({ confirmName: z.string().max(200) });

/**
 * Deletes the workspace for good: owners only, after a fresh MFA check whatever
 * the workspace's step-up setting, and with its name typed. The receipt travels
 * back in this action's own response (no-store) for the browser to save; the
 * database keeps its copy. changesMembers: no role change or removal interleaves.
 */
export const deleteWorkspace = workspaceAction(
  "workspace.delete",
  schema,
  async ({ input, tx, membership, actor }) => deleteWorkspaceFor(tx, { workspaceId: membership.workspaceId, workspaceName: membership.name, typedName: input.confirmName, actor }),
  // revalidate: false: a fresh render of this workspace's page would be its 404 and
  // would unmount the section before it saves the receipt; the browser leaves itself.
  { stepUp: "always", changesMembers: true, revalidate: false },
);
