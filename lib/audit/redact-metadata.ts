// Metadata is written by many callers; a key that names a credential is never
// stored whatever a caller passes, so a slip cannot put a secret in the log.
const SENSITIVE_KEY = /pass(word)?|secret|token|seed|otp|totp|recovery|api_?key|authorization|cookie|private/i;

export function redactMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactMetadata);
  if (value && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, SENSITIVE_KEY.test(key) ? "[redacted]" : redactMetadata(inner)]));
  }
  return value;
}
