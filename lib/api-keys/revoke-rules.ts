import { AppError } from "../errors";
import type { Role } from "../generated/prisma/enums";
import { can, ROLE_RANK } from "../authz/capabilities";
import { roleGrantsScope } from "./scopes";

type Revoker = { id: string; role: Role };
type Key = { createdById: string | null; scopes: readonly string[] };

/**
 * Who may revoke a key. Its creator, always: giving up one's own credential
 * takes no rights. Anyone else's only with api_keys.revoke_any, and within the
 * same rules as creating it: the revoker could have granted every scope it
 * carries, and does not rank below its creator (an admin never revokes an
 * owner's key). Returns why not, or null.
 */
export function whyMayNotRevoke(revoker: Revoker, key: Key, creatorRole: Role | null): string | null {
  if (key.createdById === revoker.id) return null;
  if (!can(revoker.role, "api_keys.revoke_any")) return `Your role (${revoker.role}) may revoke only the keys you created.`;
  const beyond = key.scopes.filter((scope) => !roleGrantsScope(revoker.role, scope));
  if (beyond.length > 0) return `Your role (${revoker.role}) cannot grant ${beyond.join(", ")}, so it cannot revoke a key that carries it.`;
  if (creatorRole && ROLE_RANK[creatorRole] > ROLE_RANK[revoker.role]) return `Your role (${revoker.role}) cannot revoke a key created by someone whose role (${creatorRole}) is above yours.`;
  return null;
}

export function assertMayRevoke(revoker: Revoker, key: Key, creatorRole: Role | null): void {
  const why = whyMayNotRevoke(revoker, key, creatorRole);
  if (why) throw new AppError("forbidden", why);
}
