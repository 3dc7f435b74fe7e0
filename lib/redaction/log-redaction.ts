import { AsyncLocalStorage } from "node:async_hooks";
import { redactText, type PiiKind } from "./redact-pii";

// The request's redaction, for whatever is logged while it runs: the API wrapper
// opens a scope per request and fills in the kinds once the key's and the
// workspace's policy are read; lib/log.ts redacts every line logged within it.
type Scope = { kinds: PiiKind[] };
const scopes = new AsyncLocalStorage<Scope>();

/** Runs `work` in a scope whose kinds start empty (nothing is known before the key is read). */
export function withLogRedaction<T>(work: () => Promise<T>): Promise<T> {
  return scopes.run({ kinds: [] }, work);
}

/** The kinds for the rest of the current scope (the request's policy, once read); outside a scope, nothing. */
export function setLogRedactionKinds(kinds: PiiKind[]): void {
  const scope = scopes.getStore();
  if (scope) scope.kinds = kinds;
}

export function logRedactionKinds(): PiiKind[] {
  return scopes.getStore()?.kinds ?? [];
}

const MAX_DEPTH = 6;

/** Strings anywhere in a log argument redacted (an Error as its type, message, stack and code); other values as they are. */
export function redactLogValue(value: unknown, kinds: PiiKind[], depth = 0): unknown {
  if (typeof value === "string") return redactText(value, kinds);
  if (value === null || typeof value !== "object" || depth >= MAX_DEPTH) return value;
  if (value instanceof Error) {
    const { code, cause } = value as Error & { code?: unknown };
    return {
      type: value.name,
      message: redactText(value.message, kinds),
      stack: value.stack === undefined ? undefined : redactText(value.stack, kinds),
      ...(code !== undefined && { code: redactLogValue(code, kinds, depth + 1) }),
      ...(cause !== undefined && { cause: redactLogValue(cause, kinds, depth + 1) }),
    };
  }
  if (Array.isArray(value)) return value.map((item) => redactLogValue(item, kinds, depth + 1));
  if (value instanceof Date) return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, redactLogValue(inner, kinds, depth + 1)]));
}
