import { z } from "zod";
import { safeDate, safeText, uuidId } from "../validation/safe-input";

export const SECRET_NAME = /^[A-Z_][A-Z0-9_]*$/;
export const SECRET_NAME_MAX = 128;
export const SECRET_DESCRIPTION_MAX = 500;
/** 64 KiB: room for a PEM bundle or a service-account JSON, not for a file store. */
export const SECRET_VALUE_MAX_BYTES = 65_536;
export const ENVIRONMENT_NAME = /^[a-z][a-z0-9-]{0,31}$/;

const emptyAsMissing = (value: unknown) => (value === "" ? undefined : value);

export const secretNameSchema = z
  .string("Enter a name")
  .trim()
  .min(1, "Enter a name")
  .max(SECRET_NAME_MAX, `Use at most ${SECRET_NAME_MAX} characters`)
  .regex(SECRET_NAME, "Use capital letters, digits and underscores, not starting with a digit (e.g. OPENAI_API_KEY)");

export const environmentNameSchema = z
  .string("Enter a name")
  .trim()
  .min(1, "Enter a name")
  .regex(ENVIRONMENT_NAME, "Use up to 32 lowercase letters, digits and hyphens, starting with a letter (e.g. qa-eu)");

// A value is taken exactly as typed (no trimming: a trailing newline may matter in
// a PEM key), may span lines, and is never empty: an empty value would reach an
// agent as a blank credential.
export const secretValueSchema = z
  .string("Enter a value")
  .min(1, "Enter a value")
  .refine((v) => !v.includes("\u0000"), "Remove NUL characters from the value")
  .refine((v) => Buffer.byteLength(v, "utf8") <= SECRET_VALUE_MAX_BYTES, "A value may be at most 64 KiB");

const rotationIntervalDays = z.preprocess(
  emptyAsMissing,
  z.coerce.number("Enter a number of days").int("Enter a whole number of days").min(1, "Use 1 to 3650 days").max(3650, "Use 1 to 3650 days").optional(),
);

const secretDetails = {
  description: safeText({ max: SECRET_DESCRIPTION_MAX }).default(""),
  rotationIntervalDays,
  expiresOn: z.preprocess(emptyAsMissing, safeDate("Enter a valid date").optional()),
};

export const createSecretSchema = z.object({
  environmentId: uuidId("Choose an environment"),
  name: secretNameSchema,
  value: secretValueSchema,
  ...secretDetails,
});

export const updateSecretSchema = z.object({
  secretId: uuidId("Unknown secret"),
  /** The revision the person saw: a form opened before another change is refused. */
  revision: z.coerce.number().int().min(1).max(2_147_483_647),
  /** Empty: keep the current value. */
  value: z.preprocess(emptyAsMissing, secretValueSchema.optional()),
  ...secretDetails,
});

export const secretTargetSchema = z.object({ secretId: uuidId("Unknown secret") });

export const secretVersionTargetSchema = z.object({
  secretId: uuidId("Unknown secret"),
  version: z.coerce.number("Unknown version").int().min(1).max(2_147_483_647),
});

export const createEnvironmentSchema = z.object({ name: environmentNameSchema });
export const renameEnvironmentSchema = z.object({ environmentId: uuidId("Unknown environment"), name: environmentNameSchema });

export type CreateSecretInput = z.output<typeof createSecretSchema>;
export type UpdateSecretInput = z.output<typeof updateSecretSchema>;

/** Reveal: the current version unless one is named. */
export const revealSecretSchema = z.object({
  secretId: uuidId("Unknown secret"),
  version: z.preprocess(emptyAsMissing, z.coerce.number("Unknown version").int().min(1).max(2_147_483_647).optional()),
});
