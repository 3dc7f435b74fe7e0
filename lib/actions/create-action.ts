import "server-only";
import { z } from "zod";
import { unstable_rethrow } from "next/navigation";
import { revalidatePath } from "next/cache";
import { AppError, isAppError } from "../errors";
import { log } from "../log";
import { getRequestContext, type RequestContext } from "../http/request-context";
import { isListField, objectFields } from "../validation/list-fields";
import { CONTROL_MESSAGE, FIELD_MAX, hasControlCharacters } from "../validation/safe-input";
import type { ActionState } from "./action-state";

type Handler<I, R> = (args: { input: I; context: RequestContext }) => Promise<R>;

const NOT_A_FORM = "This action takes a submitted form. Reload the page and try again.";

/**
 * The base of every server action: validate the form with zod, run the handler,
 * and turn failures into something a person can read. Unknown errors are logged
 * with the request id and answered generically, so internals never reach the page.
 *
 * An action's id is public, so anyone can call it with any argument: something
 * other than a form is refused with a message, and so is a form with a control
 * character or an over-long value in any field, or a single-valued field sent
 * twice, before the schema or the handler sees it.
 */
export function createAction<S extends z.ZodType, R>(schema: S, handler: Handler<z.output<S>, R>, options: EchoOptions = {}) {
  const fields = objectFields(schema);
  const echo = new Set(options.echo ?? []);
  const longer = options.maxLength ?? {};
  return async (_previous: ActionState<R>, formData: FormData): Promise<ActionState<R>> => {
    if (!(formData instanceof FormData)) return { status: "error", error: NOT_A_FORM, code: "invalid_input" };
    const context = await getRequestContext();
    let raw: Record<string, unknown> = {};
    try {
      raw = formDataToObject(formData);
      const refused = refusedFields(raw, fields, longer);
      if (refused) throw new AppError("invalid_input", "Check the highlighted fields.", refused);
      const parsed = schema.safeParse(raw);
      if (!parsed.success) {
        throw new AppError("invalid_input", "Check the highlighted fields.", z.flattenError(parsed.error).fieldErrors as Record<string, string[]>);
      }
      const data = await handler({ input: parsed.data, context });
      // Whatever changed, the pages showing it render afresh.
      if (options.revalidate !== false) revalidatePath("/", "layout");
      return { status: "ok", data };
    } catch (error) {
      unstable_rethrow(error);
      if (isAppError(error)) {
        return { status: "error", error: error.message, code: error.code, fieldErrors: error.fieldErrors, values: echoable(raw, echo) };
      }
      log.error({ err: error, requestId: context.requestId }, "server action failed");
      return { status: "error", error: `Something went wrong and nothing was changed. Reference: ${context.requestId ?? "n/a"}` };
    }
  };
}

// React resets a form after its action; echoing the harmless fields back keeps
// what the person typed. Credentials, codes and links that carry a token are
// never echoed: they are typed (or opened) again. Nor is a field named `value`
// (a secret's value: lib/secrets/schemas.ts), which must not come back in a payload.
const NEVER_ECHO = /pass|token|secret|code|key|link|^value$/i;

type EchoOptions = {
  /**
   * Fields echoed although their name matches NEVER_ECHO, named by the action
   * itself because it is not a secret from the person typing it (the setup
   * token, printed in their own terminal). Never a password or a code.
   */
  echo?: readonly string[];
  /** Fields allowed beyond FIELD_MAX, with their own cap (a secret's value: up to 64 KiB). */
  maxLength?: Readonly<Record<string, number>>;
  /**
   * false: the page is not rendered afresh with the answer. For an action after
   * which the page itself no longer exists (deleting its workspace): the answer
   * must reach the component that asked (the receipt), which leaves by itself.
   */
  revalidate?: boolean;
};

function echoable(raw: Record<string, unknown>, echo: ReadonlySet<string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(raw).filter(([key, value]) => typeof value === "string" && (echo.has(key) || !NEVER_ECHO.test(key)) && value.length <= FIELD_MAX && !hasControlCharacters(value)) as [
      string,
      string,
    ][],
  );
}

/** The one rule for every field of every form, and "once" for each field that is not a list. */
function refusedFields(raw: Record<string, unknown>, fields: Record<string, z.ZodType> | null, longer: Readonly<Record<string, number>>): Record<string, string[]> | null {
  const errors: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(raw)) {
    const values = Array.isArray(value) ? (value as string[]) : [value as string];
    if (values.some(hasControlCharacters)) errors[key] = [CONTROL_MESSAGE];
    else if (values.some((v) => v.length > (Object.hasOwn(longer, key) ? longer[key] : FIELD_MAX))) errors[key] = ["Too long"];
    else if (Array.isArray(value) && fields?.[key] && !isListField(fields[key])) errors[key] = ["Give this field once"];
  }
  return Object.keys(errors).length > 0 ? errors : null;
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
