import "server-only";
import { AppError } from "../errors";
import type { Tx } from "../db/with-workspace";
import type { RequestContext } from "../http/request-context";
import type { Role } from "../generated/prisma/enums";
import { recordAuditEvent, type AuditActor } from "../audit/record-audit-event";
import { generateApiKey } from "./api-key-token";
import { API_KEY_SCOPES, roleGrantsScope, type ApiKeyScope } from "./scopes";
import { assertExpiryInRange } from "./expiry";

/** A key never carries more than the member who made it: each scope needs its capability. */
function assertMayGrantScopes(actorRole: Role, scopes: readonly string[]): asserts scopes is ApiKeyScope[] {
  const unknown = scopes.filter((scope) => !Object.hasOwn(API_KEY_SCOPES, scope));
  if (unknown.length > 0) throw new AppError("invalid_input", "Check the highlighted fields.", { scopes: [`Unknown scope: ${unknown.join(", ")}`] });
  const beyond = (scopes as ApiKeyScope[]).filter((scope) => !roleGrantsScope(actorRole, scope));
  if (beyond.length > 0) {
    throw new AppError("forbidden", `Your role (${actorRole}) cannot grant ${beyond.join(", ")}.`, {
      scopes: beyond.map((scope) => `${scope} needs ${API_KEY_SCOPES[scope].capability}, which your role lacks: a key cannot do more than the member who creates it.`),
    });
  }
}

/**
 * Creates a key and returns it in full, the one time it exists outside the
 * caller's hands: only its SHA-256 and a short prefix are stored, and the audit
 * event names the key by prefix.
 */
export async function createApiKey(
  tx: Tx,
  options: {
    workspaceId: string;
    name: string;
    scopes: readonly string[];
    expiresAt: Date | null;
    actorRole: Role;
    actor: AuditActor & { type: "user" };
    context: RequestContext;
    now?: Date;
  },
) {
  const { workspaceId, name, scopes, expiresAt, actor } = options;
  if (scopes.length === 0) throw new AppError("invalid_input", "Check the highlighted fields.", { scopes: ["Choose at least one scope"] });
  assertMayGrantScopes(options.actorRole, scopes);
  assertExpiryInRange(expiresAt, options.now ?? new Date());

  const { key, prefix, hash } = generateApiKey();
  const row = await tx.apiKey.create({
    data: { workspaceId, name, prefix, keyHash: hash, scopes: [...scopes], createdById: actor.id, expiresAt },
    select: { id: true },
  });
  await recordAuditEvent(tx, {
    workspaceId, actor, action: "api_key.created", context: options.context,
    target: { type: "api_key", id: row.id },
    metadata: { name, prefix, scopes, expiresAt: expiresAt?.toISOString() ?? null },
  });
  return { id: row.id, name, prefix, scopes: [...scopes], expiresAt: expiresAt?.toISOString() ?? null, key };
}
