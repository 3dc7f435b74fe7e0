import { z } from "zod";
import { API_KEY_SCOPE_NAMES } from "./scopes";
import { EXPIRY_CHOICES } from "./expiry";
import { FIELD_MAX, safeDate, safeText, uuidId } from "../validation/safe-input";
import { SECRET_NAME, SECRET_NAME_MAX } from "../secrets/schemas";
import { PII_KINDS } from "../redaction/redact-pii";

/** A secrets:resolve key may be held to at most this many names. */
export const API_KEY_SECRET_NAMES_MAX = 100;

export const API_KEY_NAME_MAX = 80;

// Checkboxes arrive as nothing, one value or several; a date input that was left
// empty arrives as "".
const asList = (value: unknown) => (value === undefined || value === "" ? [] : Array.isArray(value) ? value : [value]);
const emptyAsMissing = (value: unknown) => (value === "" ? undefined : value);

export const apiKeyScopeSchema = z.enum(API_KEY_SCOPE_NAMES, "Unknown scope");

const quoted = (name: string) => `“${name.length > 40 ? `${name.slice(0, 40)}…` : name}”`;

// Names typed one per line or separated by commas; repeats count once. Empty: any name.
const secretNamesField = z.preprocess(
  (value) => value ?? "",
  safeText({ max: FIELD_MAX, multiLine: true })
    .transform((text) => [...new Set(text.split(/[\s,]+/).filter(Boolean))])
    .superRefine((names, ctx) => {
      const bad = names.find((name) => name.length > SECRET_NAME_MAX || !SECRET_NAME.test(name));
      if (bad) ctx.addIssue({ code: "custom", message: `${quoted(bad)} is not a secret name: use capital letters, digits and underscores, not starting with a digit` });
      if (names.length > API_KEY_SECRET_NAMES_MAX) ctx.addIssue({ code: "custom", message: `List at most ${API_KEY_SECRET_NAMES_MAX} names` });
    }),
);

export const createApiKeySchema = z.object({
  name: safeText({ max: API_KEY_NAME_MAX, message: "Enter a name for the key" }).min(1, "Enter a name for the key"),
  scopes: z.preprocess(asList, z.array(apiKeyScopeSchema).min(1, "Choose at least one scope")).transform((scopes) => [...new Set(scopes)]),
  expiry: z.enum(EXPIRY_CHOICES, "Choose when the key expires").default("never"),
  expiresOn: z.preprocess(emptyAsMissing, safeDate("Enter a valid date").optional()),
  // For secrets:resolve only (lib/api-keys/create-api-key.ts refuses them on other keys).
  environmentId: z.preprocess(emptyAsMissing, uuidId("Choose one of this workspace's environments").optional()),
  secretNames: secretNamesField,
  // A runtime key bound to one agent acts only for it (lib/api-keys/create-api-key.ts checks it is this workspace's).
  agentId: z.preprocess(emptyAsMissing, uuidId("Choose one of this workspace's agents").optional()),
  // PII redaction: follow the workspace's (default), or this key's own kinds, tighter or looser (none: off for this key).
  piiRedaction: z.enum(["workspace", "key"], "Choose whether the key follows the workspace's redaction").default("workspace"),
  piiKinds: z.preprocess(asList, z.array(z.enum(PII_KINDS, "Unknown kind of personal data"))).transform((kinds) => PII_KINDS.filter((kind) => kinds.includes(kind))),
});

export const apiKeyTargetSchema = z.object({ apiKeyId: uuidId("Unknown API key") });
