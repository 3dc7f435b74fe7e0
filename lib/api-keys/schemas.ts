import { z } from "zod";
import { API_KEY_SCOPE_NAMES } from "./scopes";
import { EXPIRY_CHOICES } from "./expiry";
import { safeDate, safeText, uuidId } from "../validation/safe-input";

export const API_KEY_NAME_MAX = 80;

// Checkboxes arrive as nothing, one value or several; a date input that was left
// empty arrives as "".
const asList = (value: unknown) => (value === undefined || value === "" ? [] : Array.isArray(value) ? value : [value]);
const emptyAsMissing = (value: unknown) => (value === "" ? undefined : value);

export const apiKeyScopeSchema = z.enum(API_KEY_SCOPE_NAMES, "Unknown scope");

export const createApiKeySchema = z.object({
  name: safeText({ max: API_KEY_NAME_MAX, message: "Enter a name for the key" }).min(1, "Enter a name for the key"),
  scopes: z
    .preprocess(asList, z.array(apiKeyScopeSchema).min(1, "Choose at least one scope"))
    .transform((scopes) => [...new Set(scopes)]),
  expiry: z.enum(EXPIRY_CHOICES, "Choose when the key expires").default("never"),
  expiresOn: z.preprocess(emptyAsMissing, safeDate("Enter a valid date").optional()),
});

export const apiKeyTargetSchema = z.object({ apiKeyId: uuidId("Unknown API key") });
