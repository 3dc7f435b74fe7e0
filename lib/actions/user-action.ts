import "server-only";
import { z } from "zod";
import { AppError } from "../errors";
import { getCurrentSession, type ValidSession } from "../auth/current-session";
import type { RequestContext } from "../http/request-context";
import { createAction } from "./create-action";

/** Actions on the caller's own account: a live session is all they need. */
export function userAction<S extends z.ZodType, R>(schema: S, handler: (args: { input: z.output<S>; session: ValidSession; context: RequestContext }) => Promise<R>) {
  return createAction(schema, async ({ input, context }) => {
    const session = await getCurrentSession();
    if (!session) throw new AppError("unauthenticated", "Your session has ended. Sign in again.");
    return handler({ input, session, context });
  });
}
