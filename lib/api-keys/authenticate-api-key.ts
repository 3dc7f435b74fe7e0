import "server-only";
import type { PresentedApiKey } from "../db/with-workspace";
import { AppError } from "../errors";
import { toPiiKinds, type PiiKind } from "../redaction/redact-pii";
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
  /** A key bound to an agent acts only for it (null: for any of the workspace's agents). */
  agentId: string | null;
  /** The PII kinds this key redacts instead of the workspace's (null: the workspace's apply). */
  redactionOverride: PiiKind[] | null;
};

const refuse = (reason: string, message: string) => new AppError("unauthenticated", message, undefined, reason);

/** The hash of the key in an Authorization header, or a 401 that says what is wrong with the header. */
export function presentedApiKeyHash(authorization: string | null): string {
  if (!authorization) throw refuse("api_key_missing", "Send an API key in the Authorization header: Bearer wdn_live_…");
  const match = /^Bearer +(\S+)$/i.exec(authorization.trim());
  if (!match || !isWellFormedApiKey(match[1])) {
    throw refuse("api_key_malformed", "The Authorization header must be Bearer followed by a Warden API key (wdn_live_…).");
  }
  return hashApiKey(match[1]);
}

/** The key row found for that hash (withApiKeyRequest), or a 401 that says why it cannot be used. */
export function admitApiKey(key: PresentedApiKey | null, now = new Date()): ApiKeyPrincipal {
  if (!key) throw refuse("api_key_unknown", "This API key is not recognised.");
  if (key.revoked_at) throw refuse("api_key_revoked", "This API key has been revoked.");
  if (key.expires_at && key.expires_at <= now) throw refuse("api_key_expired", `This API key expired at ${key.expires_at.toISOString()}.`);
  return {
    id: key.id,
    workspaceId: key.workspace_id,
    name: key.name,
    prefix: key.prefix,
    scopes: key.scopes as ApiKeyScope[],
    createdById: key.created_by_id,
    lastUsedAt: key.last_used_at,
    environmentId: key.environment_id,
    secretNames: key.secret_names,
    agentId: key.agent_id,
    redactionOverride: key.pii_redaction_override ? toPiiKinds(key.pii_redaction) : null,
  };
}
