import "server-only";
import { withWorkspace } from "../db/with-workspace";
import type { Role } from "../generated/prisma/enums";
import { listApiKeys } from "./list-api-keys";

/**
 * The keys page, as the viewer may act on it: each row says whether they may
 * revoke it, so the page offers Revoke only where the server would allow it.
 */
export function getApiKeysPage(workspaceId: string, viewer: { id: string; role: Role }) {
  return withWorkspace(workspaceId, (tx) => listApiKeys(tx, workspaceId, new Date(), viewer));
}

/** The live agents a key may be bound to, for the create form. */
export function getApiKeyAgents(workspaceId: string) {
  return withWorkspace(workspaceId, (tx) => tx.agent.findMany({ where: { workspaceId, archivedAt: null }, select: { id: true, name: true }, orderBy: { name: "asc" } }));
}

/** The environments a secrets:resolve key may be held to, for the create form. */
export function getApiKeyEnvironments(workspaceId: string) {
  return withWorkspace(workspaceId, (tx) => tx.environment.findMany({ where: { workspaceId }, select: { id: true, name: true }, orderBy: { name: "asc" } }));
}
