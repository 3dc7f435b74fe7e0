import { can, type Capability } from "../authz/capabilities";
import type { Role } from "../generated/prisma/enums";

// What a key may do, and the capability its creator must hold to grant it: a
// key never carries more than the member who made it.
export const API_KEY_SCOPES = {
  "audit:read": { capability: "audit.read", label: "Read the audit log", description: "GET /api/v1/audit" },
  "secrets:resolve": { capability: "secrets.resolve", label: "Resolve secrets by name", description: "POST /api/v1/secrets/resolve" },
  "runtime:spend": { capability: "agents.manage", label: "Authorize and settle agent spend", description: "POST /api/v1/agents/{agent}/authorizations, /api/v1/authorizations/{id}/capture and /void" },
  "runtime:usage": { capability: "agents.manage", label: "Report agents' usage", description: "POST /api/v1/usage/events" },
  "audit:write": { capability: "agents.manage", label: "Record platform changes in the audit log", description: "POST /api/v1/audit/events" },
  "usage:read": { capability: "usage.read", label: "Read usage", description: "GET /api/v1/workspaces/usage" },
} as const satisfies Record<string, { capability: Capability; label: string; description: string }>;

export type ApiKeyScope = keyof typeof API_KEY_SCOPES;
export const API_KEY_SCOPE_NAMES = Object.keys(API_KEY_SCOPES) as [ApiKeyScope, ...ApiKeyScope[]];

/**
 * Whether a member with this role (null: no longer a member) may grant, and so
 * keep alive, a key with this scope. Checked when a key is created, on every
 * request it makes, and when keys are listed.
 */
export function roleGrantsScope(role: Role | null, scope: string): boolean {
  const known = Object.hasOwn(API_KEY_SCOPES, scope) ? API_KEY_SCOPES[scope as ApiKeyScope] : null;
  return role !== null && known !== null && can(role, known.capability);
}
