import "server-only";
import { z } from "zod";
import { unstable_rethrow } from "next/navigation";
import { revalidatePath } from "next/cache";
import { AppError, isAppError } from "../errors";
import { log } from "../log";
import { getRequestContext, type RequestContext } from "../http/request-context";
import type { ActionState } from "./action-state";

type Handler<I, R> = (args: { input: I; context: RequestContext }) => Promise<R>;

/**
 * The base of every server action: validate the form with zod, run the handler,
 * and turn failures into something a person can read. Unknown errors are logged
 * with the request id and answered generically, so internals never reach the page.
 */
export function createAction<S extends z.ZodType, R>(schema: S, handler: Handler<z.output<S>, R>) {
  return async (_previous: ActionState<R>, formData: FormData): Promise<ActionState<R>> => {
    const context = await getRequestContext();
    const raw = formDataToObject(formData);
    try {
      const parsed = schema.safeParse(raw);
      if (!parsed.success) {
        throw new AppError("invalid_input", "Check the highlighted fields.", z.flattenError(parsed.error).fieldErrors as Record<string, string[]>);
      }
      const data = await handler({ input: parsed.data, context });
      // Whatever changed, the pages showing it render afresh.
      revalidatePath("/", "layout");
      return { status: "ok", data };
    } catch (error) {
      unstable_rethrow(error);
      if (isAppError(error)) {
        return { status: "error", error: error.message, code: error.code, fieldErrors: error.fieldErrors, values: echoable(raw) };
      }
      log.error({ err: error, requestId: context.requestId }, "server action failed");
      return { status: "error", error: `Something went wrong and nothing was changed. Reference: ${context.requestId ?? "n/a"}` };
    }
  };
}

// React resets a form after its action; echoing the harmless fields back keeps
// what the person typed. Credentials are never echoed: they are typed again.
const NEVER_ECHO = /pass|token|secret|code|key/i;

function echoable(raw: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(raw).filter(([key, value]) => typeof value === "string" && !NEVER_ECHO.test(key)) as [string, string][],
  );
}

function formDataToObject(formData: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of formData.entries()) {
    if (key.startsWith("$ACTION")) continue;
    if (typeof value !== "string") continue;
    const existing = out[key];
    out[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return out;
}
