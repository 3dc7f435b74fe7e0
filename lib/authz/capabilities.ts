import type { Role } from "../generated/prisma/enums";

// The one capability table. Server actions and routes check it through can();
// the UI reads it only to hide controls. Least privilege: viewers read, editors
// edit content, developers run agents, keys and secret metadata, admins manage
// people (but not owners), owners hold everything.

export const ROLES = ["owner", "admin", "developer", "editor", "viewer"] as const satisfies readonly Role[];

export const CAPABILITIES = {
  "workspace.read": ["owner", "admin", "developer", "editor", "viewer"],
  "members.read": ["owner", "admin", "developer", "editor", "viewer"],
  "members.invite": ["owner", "admin"],
  "members.update_role": ["owner", "admin"],
  "members.remove": ["owner", "admin"],
  "members.unlock": ["owner", "admin"],
  "members.recover": ["owner", "admin"],
  "security.manage": ["owner"],
  "sessions.revoke_all": ["owner"],
  "audit.read": ["owner", "admin"],
  "audit.export": ["owner", "admin"],
  "api_keys.manage": ["owner", "admin", "developer"],
  // Others' keys, within the role rules (lib/api-keys/revoke-rules.ts); everyone with api_keys.manage revokes their own.
  "api_keys.revoke_any": ["owner", "admin"],
  "secrets.read_metadata": ["owner", "admin", "developer"],
  "secrets.write": ["owner", "admin", "developer"],
  "secrets.reveal": ["owner"],
  // Deleting a secret, destroying a version and restoring: the value may be gone for good.
  "secrets.delete": ["owner", "admin"],
  // Granting an API key the secrets:resolve scope (the runtime reads values by name with it).
  "secrets.resolve": ["owner", "admin", "developer"],
  "environments.manage": ["owner", "admin"],
  "agents.manage": ["owner", "admin", "developer"],
  "content.edit": ["owner", "admin", "developer", "editor"],
  "usage.read": ["owner", "admin", "developer", "editor", "viewer"],
  "budgets.write": ["owner", "admin"],
  "workspace.update": ["owner", "admin"],
  "workspace.transfer": ["owner"],
  "workspace.delete": ["owner"],
} as const satisfies Record<string, readonly Role[]>;

export type Capability = keyof typeof CAPABILITIES;

export function can(role: Role, capability: Capability): boolean {
  return (CAPABILITIES[capability] as readonly Role[]).includes(role);
}

/** Higher roles first; a role may grant only roles at or below its own rank. */
export const ROLE_RANK: Record<Role, number> = { owner: 5, admin: 4, developer: 3, editor: 2, viewer: 1 };
