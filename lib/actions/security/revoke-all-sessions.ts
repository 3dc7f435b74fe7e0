"use server";

import { z } from "zod";
import { workspaceAction } from "../workspace-action";
import { revokeWorkspaceSessions } from "../../auth/sessions/revoke-workspace-sessions";

export const revokeAllSessions = workspaceAction(
  "sessions.revoke_all",
  z.object({}),
  async ({ tx, membership, actor, session, context }) => revokeWorkspaceSessions(tx, { workspaceId: membership.workspaceId, actor, exceptSessionId: session.sessionId, context }),
  { stepUp: true },
);
