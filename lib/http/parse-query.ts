import { z } from "zod";
import { AppError } from "../errors";

function isArrayField(field: z.ZodType): boolean {
  let inner: z.ZodType = field;
  while (inner instanceof z.ZodOptional || inner instanceof z.ZodDefault) inner = inner.unwrap() as z.ZodType;
  return inner instanceof z.ZodArray;
}

/**
 * Query parameters checked against an object schema: array fields take every
 * repetition, other fields must appear once, and a parameter the schema does not
 * know is refused rather than ignored (a mistyped filter must not silently widen
 * an evidence pull). Errors name the parameter.
 */
export function parseQuery<S extends z.ZodObject>(schema: S, params: URLSearchParams): z.output<S> {
  const raw: Record<string, unknown> = {};
  const errors: Record<string, string[]> = {};
  for (const name of new Set(params.keys())) {
    const field = schema.shape[name] as z.ZodType | undefined;
    const values = params.getAll(name);
    if (!field) errors[name] = ["Unknown parameter"];
    else if (isArrayField(field)) raw[name] = values;
    else if (values.length > 1) errors[name] = ["Give this parameter once"];
    else raw[name] = values[0];
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) (errors[String(issue.path[0] ?? "query")] ??= []).push(issue.message);
  }
  const names = Object.keys(errors);
  if (names.length > 0 || !parsed.success) {
    const first = names[0] ?? "query";
    throw new AppError("invalid_input", `Invalid parameter ${first}: ${errors[first]?.[0] ?? "invalid"}`, errors, "invalid_parameter");
  }
  return parsed.data;
}
