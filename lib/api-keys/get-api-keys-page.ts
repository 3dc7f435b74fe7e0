import "server-only";
import { withWorkspace } from "../db/with-workspace";
import type { Role } from "../generated/prisma/enums";
import { listApiKeys, type ApiKeyRow } from "./list-api-keys";

export const API_KEYS_PAGE_SIZE = 50;

export type ApiKeysPage = {
  keys: ApiKeyRow[];
  /** Keys in the workspace, and the page shown (a page past the last shows the last). */
  total: number;
  page: number;
  /** The live agents a key may be bound to, and the environments a secrets:resolve key may be held to, for the create form. */
  agents: { id: string; name: string }[];
  environments: { id: string; name: string }[];
};

/**
 * The keys page in one transaction, as the viewer may act on it: each row says
 * whether they may revoke it, so the page offers Revoke only where the server
 * would allow it. One page of keys at a time, so the page costs the same at 20
 * keys or 2,000.
 */
export function getApiKeysPage(workspaceId: string, viewer: { id: string; role: Role }, requested = 1): Promise<ApiKeysPage> {
  return withWorkspace(workspaceId, async (tx) => {
    const total = await tx.apiKey.count({ where: { workspaceId } });
    const page = Math.max(1, Math.min(requested, Math.ceil(total / API_KEYS_PAGE_SIZE)));
    const keys = await listApiKeys(tx, workspaceId, new Date(), viewer, { skip: (page - 1) * API_KEYS_PAGE_SIZE, take: API_KEYS_PAGE_SIZE });
    const agents = await tx.agent.findMany({ where: { workspaceId, archivedAt: null }, select: { id: true, name: true }, orderBy: { name: "asc" } });
    const environments = await tx.environment.findMany({ where: { workspaceId }, select: { id: true, name: true }, orderBy: { name: "asc" } });
    return { keys, total, page, agents, environments };
  });
}
