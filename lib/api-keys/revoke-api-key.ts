import "server-only";
import { AppError } from "../errors";
import type { Tx } from "../db/with-workspace";
import type { Role } from "../generated/prisma/enums";
import type { RequestContext } from "../http/request-context";
import { recordAuditEvent, type AuditActor } from "../audit/record-audit-event";
import { assertMayRevoke } from "./revoke-rules";

/**
 * Revokes a key of this workspace: it is refused from its next request. The row
 * stays, marked revoked, so the list and the audit log keep naming it. Revoking
 * follows the rules of creating (see revoke-rules.ts), on the creator's role as
 * this transaction reads it.
 */
export async function revokeApiKey(tx: Tx, options: { workspaceId: string; apiKeyId: string; actorRole: Role; actor: AuditActor & { type: "user" }; context: RequestContext }) {
  const { workspaceId, apiKeyId, actor } = options;
  const key = await tx.apiKey.findFirst({
    where: { id: apiKeyId, workspaceId },
    select: { name: true, prefix: true, scopes: true, expiresAt: true, revokedAt: true, createdById: true },
  });
  if (!key) throw new AppError("not_found", "That API key does not exist in this workspace.");
  const creator = key.createdById ? await tx.membership.findFirst({ where: { workspaceId, userId: key.createdById }, select: { role: true } }) : null;
  assertMayRevoke({ id: actor.id, role: options.actorRole }, key, creator?.role ?? null);
  const alreadyRevoked = () => new AppError("conflict", `The key “${key.name}” is already revoked.`);
  if (key.revokedAt) throw alreadyRevoked();

  // revokedAt: null in the where: of two revokes racing, the second changes nothing.
  const { count } = await tx.apiKey.updateMany({
    where: { id: apiKeyId, workspaceId, revokedAt: null },
    data: { revokedAt: new Date(), revokedById: actor.id },
  });
  if (count === 0) throw alreadyRevoked();
  await recordAuditEvent(tx, {
    workspaceId,
    actor,
    action: "api_key.revoked",
    context: options.context,
    target: { type: "api_key", id: apiKeyId },
    metadata: { name: key.name, prefix: key.prefix, scopes: key.scopes, expiresAt: key.expiresAt?.toISOString() ?? null },
  });
  return { id: apiKeyId, name: key.name, prefix: key.prefix };
}
