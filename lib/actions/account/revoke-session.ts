"use server";

import { z } from "zod";
import { userAction } from "../user-action";
import { revokeMySessions } from "../../auth/sessions/revoke-my-sessions";

export const revokeSession = userAction(z.object({ sessionId: z.uuid("Unknown session") }), async ({ input, session, context }) => revokeMySessions({ session, context, sessionId: input.sessionId }));
