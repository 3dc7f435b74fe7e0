import { z } from "zod";

/**
 * Whether a field of an object schema takes a list (checkboxes, `action=a&action=b`).
 * Every other field must arrive once: with `role=viewer&role=owner` a reader that
 * takes the first and one that takes the last would act on different values.
 */
export function isListField(field: z.ZodType): boolean {
  const def = (field as z.ZodType & { _zod: { def: { type: string; innerType?: z.ZodType; in?: z.ZodType; out?: z.ZodType } } })._zod.def;
  if (def.type === "array") return true;
  if (def.innerType) return isListField(def.innerType); // optional, default, catch, nullable
  if (def.type === "pipe") return isListField(def.in!) || isListField(def.out!); // preprocess, transform
  return false;
}

/** The fields of an object schema, or null for a schema of another shape. */
export function objectFields(schema: z.ZodType): Record<string, z.ZodType> | null {
  return schema instanceof z.ZodObject ? (schema.shape as Record<string, z.ZodType>) : null;
}
