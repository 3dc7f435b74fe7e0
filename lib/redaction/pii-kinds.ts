/** The kinds of personal data Warden can redact, as stored in workspaces.pii_redaction and api_keys.pii_redaction. */
export const PII_KINDS = ["email", "ssn", "phone", "card"] as const;
export type PiiKind = (typeof PII_KINDS)[number];
