import { z } from "zod";
import { AppError } from "../errors";
import { isListField } from "../validation/list-fields";
import { CONTROL_MESSAGE, FIELD_MAX, hasControlCharacters } from "../validation/safe-input";

/**
 * Query parameters checked against an object schema: array fields take every
 * repetition, other fields must appear once, and a parameter the schema does not
 * know is refused rather than ignored (a mistyped filter must not silently widen
 * an evidence pull). No value may hold a control character or run past
 * FIELD_MAX, whatever the field's own rule. Errors name the parameter.
 */
export function parseQuery<S extends z.ZodObject>(schema: S, params: URLSearchParams): z.output<S> {
  const raw: Record<string, unknown> = {};
  const errors: Record<string, string[]> = {};
  for (const name of new Set(params.keys())) {
    const field = schema.shape[name] as z.ZodType | undefined;
    const values = params.getAll(name);
    // The name is echoed in the message: a name that is not plain text is not repeated back.
    const label = hasControlCharacters(name) || name.length > 100 ? "query" : name;
    if (!field) (errors[label] ??= []).push("Unknown parameter");
    else if (values.some((value) => hasControlCharacters(value))) errors[name] = [CONTROL_MESSAGE];
    else if (values.some((value) => value.length > FIELD_MAX)) errors[name] = ["Too long"];
    else if (isListField(field)) raw[name] = values;
    else if (values.length > 1) errors[name] = ["Give this parameter once"];
    else raw[name] = values[0];
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? "query");
      // A field already refused above is not parsed again: one message per problem.
      if (!(name in raw) && name in errors) continue;
      (errors[name] ??= []).push(issue.message);
    }
  }
  const names = Object.keys(errors);
  if (names.length > 0 || !parsed.success) {
    const first = names[0] ?? "query";
    throw new AppError("invalid_input", `Invalid parameter ${first}: ${errors[first]?.[0] ?? "invalid"}`, errors, "invalid_parameter");
  }
  return parsed.data;
}
