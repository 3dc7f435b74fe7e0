import "server-only";
import { withApiKeyHash } from "../db/system";
import { AppError } from "../errors";
import { hashApiKey, isWellFormedApiKey } from "./api-key-token";
import type { ApiKeyScope } from "./scopes";

export type ApiKeyPrincipal = {
  id: string;
  workspaceId: string;
  name: string;
  prefix: string;
  scopes: ApiKeyScope[];
  createdById: string | null;
  lastUsedAt: Date | null;
  /** secrets:resolve only within this environment (null: any of the workspace's). */
  environmentId: string | null;
  /** secrets:resolve only these names (empty: any name). */
  secretNames: string[];
};

const refuse = (reason: string, message: string) => new AppError("unauthenticated", message, undefined, reason);

/** The key in an Authorization header, or a 401 that says what is wrong with it. */
export async function authenticateApiKey(authorization: string | null, now = new Date()): Promise<ApiKeyPrincipal> {
  if (!authorization) throw refuse("api_key_missing", "Send an API key in the Authorization header: Bearer wdn_live_…");
  const match = /^Bearer +(\S+)$/i.exec(authorization.trim());
  if (!match || !isWellFormedApiKey(match[1])) {
    throw refuse("api_key_malformed", "The Authorization header must be Bearer followed by a Warden API key (wdn_live_…).");
  }
  const keyHash = hashApiKey(match[1]);
  const key = await withApiKeyHash(keyHash, (tx) => tx.apiKey.findUnique({ where: { keyHash } }));
  if (!key) throw refuse("api_key_unknown", "This API key is not recognised.");
  if (key.revokedAt) throw refuse("api_key_revoked", "This API key has been revoked.");
  if (key.expiresAt && key.expiresAt <= now) throw refuse("api_key_expired", `This API key expired at ${key.expiresAt.toISOString()}.`);
  return {
    id: key.id,
    workspaceId: key.workspaceId,
    name: key.name,
    prefix: key.prefix,
    scopes: key.scopes as ApiKeyScope[],
    createdById: key.createdById,
    lastUsedAt: key.lastUsedAt,
    environmentId: key.environmentId,
    secretNames: key.secretNames,
  };
}
