import "server-only";
import type { Tx } from "../db/with-workspace";
import type { Role } from "../generated/prisma/enums";
import { roleGrantsScope } from "./scopes";
import { whyMayNotRevoke } from "./revoke-rules";

/** suspended: its creator no longer holds the rights behind its scopes, so the API refuses it. */
export type ApiKeyStatus = "active" | "expired" | "revoked" | "suspended";

export type ApiKeyRow = {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  /** secrets:resolve only within this environment (null: any). */
  environment: string | null;
  /** secrets:resolve only these names (empty: any). */
  secretNames: string[];
  /** The one agent the key acts for (null: any). */
  agent: string | null;
  /** The key's own PII redaction, replacing the workspace's (empty: none); null: it follows the workspace's. */
  piiRedaction: string[] | null;
  createdBy: { name: string; email: string } | null;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  status: ApiKeyStatus;
  /** Whether the viewer may revoke it (revoke-rules.ts); false when no viewer is given. */
  revocable: boolean;
};

/** The workspace's keys, newest first, revoked ones included (all of them, or one page). Never the hash. */
export async function listApiKeys(tx: Tx, workspaceId: string, now = new Date(), viewer?: { id: string; role: Role }, page?: { skip: number; take: number }): Promise<ApiKeyRow[]> {
  const rows = await tx.apiKey.findMany({
    where: { workspaceId },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    ...page,
    select: {
      id: true,
      name: true,
      prefix: true,
      scopes: true,
      environmentId: true,
      secretNames: true,
      agentId: true,
      piiRedactionOverride: true,
      piiRedaction: true,
      createdAt: true,
      expiresAt: true,
      lastUsedAt: true,
      revokedAt: true,
      createdById: true,
      createdBy: { select: { name: true, email: true } },
    },
  });
  const creatorIds = [...new Set(rows.flatMap((r) => (r.createdById ? [r.createdById] : [])))];
  const creators = await tx.membership.findMany({ where: { workspaceId, userId: { in: creatorIds } }, select: { userId: true, role: true } });
  const roleOf = new Map(creators.map((c) => [c.userId, c.role]));
  const environmentIds = [...new Set(rows.flatMap((r) => (r.environmentId ? [r.environmentId] : [])))];
  const environments = environmentIds.length ? await tx.environment.findMany({ where: { workspaceId, id: { in: environmentIds } }, select: { id: true, name: true } }) : [];
  const environmentName = new Map(environments.map((e) => [e.id, e.name]));
  const agentIds = [...new Set(rows.flatMap((r) => (r.agentId ? [r.agentId] : [])))];
  const agents = agentIds.length ? await tx.agent.findMany({ where: { workspaceId, id: { in: agentIds } }, select: { id: true, name: true } }) : [];
  const agentName = new Map(agents.map((a) => [a.id, a.name]));
  const entitled = (r: (typeof rows)[number]) => r.scopes.every((scope) => roleGrantsScope(r.createdById ? (roleOf.get(r.createdById) ?? null) : null, scope));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    scopes: r.scopes,
    environment: r.environmentId ? (environmentName.get(r.environmentId) ?? null) : null,
    secretNames: r.secretNames,
    agent: r.agentId ? (agentName.get(r.agentId) ?? null) : null,
    piiRedaction: r.piiRedactionOverride ? r.piiRedaction : null,
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
    expiresAt: r.expiresAt?.toISOString() ?? null,
    lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
    revokedAt: r.revokedAt?.toISOString() ?? null,
    status: r.revokedAt ? "revoked" : r.expiresAt && r.expiresAt <= now ? "expired" : entitled(r) ? "active" : "suspended",
    revocable: !r.revokedAt && viewer !== undefined && whyMayNotRevoke(viewer, r, r.createdById ? (roleOf.get(r.createdById) ?? null) : null) === null,
  }));
}
