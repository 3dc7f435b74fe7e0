import type { Capability } from "../authz/capabilities";

// What a key may do, and the capability its creator must hold to grant it: a
// key never carries more than the member who made it.
export const API_KEY_SCOPES = {
  "audit:read": { capability: "audit.read", label: "Read the audit log", description: "GET /api/v1/audit" },
} as const satisfies Record<string, { capability: Capability; label: string; description: string }>;

export type ApiKeyScope = keyof typeof API_KEY_SCOPES;
export const API_KEY_SCOPE_NAMES = Object.keys(API_KEY_SCOPES) as [ApiKeyScope, ...ApiKeyScope[]];
