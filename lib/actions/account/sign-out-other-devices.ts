"use server";

import { z } from "zod";
import { userAction } from "../user-action";
import { revokeMySessions } from "../../auth/sessions/revoke-my-sessions";

export const signOutOtherDevices = userAction(z.object({}), async ({ session, context }) => revokeMySessions({ session, context, allOthers: true }));
