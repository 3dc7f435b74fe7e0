"use server";

import { userAction } from "../user-action";
import { createWorkspaceSchema } from "../../workspaces/schemas";
import { createUserWorkspace } from "../../workspaces/create-user-workspace";

// Not inside a workspace yet: the signed-in person is the authority, and the
// instance setting (WARDEN_WORKSPACE_CREATION) is checked in createUserWorkspace.
export const createWorkspace = userAction(createWorkspaceSchema, async ({ input, session, context }) => createUserWorkspace({ userId: session.user.id, input, context }));
