"use server";

import { z } from "zod";
import { userAction } from "../user-action";
import { dismissSecurityNotice as dismiss } from "../../notices/dismiss-security-notice";

export const dismissSecurityNotice = userAction(z.object({ noticeId: z.uuid("Unknown notice") }), async ({ input, session }) => {
  await dismiss({ userId: session.user.id, noticeId: input.noticeId });
  return { dismissed: true };
});
