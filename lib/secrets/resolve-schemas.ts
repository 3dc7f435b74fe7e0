import { z } from "zod";
import { environmentNameSchema, secretNameSchema } from "./schemas";

/** At most this many names per request: an agent resolves what one call needs, not the vault. */
export const RESOLVE_NAMES_MAX = 100;

export const resolveSecretsBodySchema = z.strictObject({
  environment: environmentNameSchema.describe("The environment's name, e.g. production."),
  names: z
    .array(secretNameSchema, "Give names as an array of strings")
    .min(1, "Give at least one name")
    .max(RESOLVE_NAMES_MAX, `Give at most ${RESOLVE_NAMES_MAX} names`)
    .refine((names) => new Set(names).size === names.length, "Give each name once")
    .describe(`1 to ${RESOLVE_NAMES_MAX} distinct secret names (capital letters, digits and underscores).`),
});

export const resolveSecretsResponseSchema = z.object({
  values: z.record(z.string(), z.string().min(1)).describe("Each requested name with its current value; every name is present or the request fails."),
});

export type ResolveSecretsBody = z.output<typeof resolveSecretsBodySchema>;
