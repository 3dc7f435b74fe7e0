import "server-only";
import { AppError } from "../errors";
import type { Tx } from "../db/with-workspace";
import type { RequestContext } from "../http/request-context";
import type { Role } from "../generated/prisma/enums";
import { recordAuditEvent, type AuditActor } from "../audit/record-audit-event";
import { generateApiKey } from "./api-key-token";
import { API_KEY_SCOPES, roleGrantsScope, type ApiKeyScope } from "./scopes";
import { assertExpiryInRange } from "./expiry";
import { findEnvironment } from "../secrets/find-environment";
import { SECRET_NAME, SECRET_NAME_MAX } from "../secrets/schemas";
import { API_KEY_SECRET_NAMES_MAX } from "./schemas";
import { toPiiKinds, type PiiKind } from "../redaction/redact-pii";

const NOT_AN_AGENT = "Choose one of this workspace's agents (archived agents cannot be chosen).";

/** The agent a key is bound to: a live agent of this workspace (RLS hides any other), or a refusal on the field. */
async function findBindableAgent(tx: Tx, workspaceId: string, agentId: string) {
  const rows = await tx.$queryRaw<{ id: string; name: string }[]>`
    SELECT id::text AS id, name FROM agents WHERE id = ${agentId}::uuid AND workspace_id = ${workspaceId}::uuid AND archived_at IS NULL FOR SHARE`;
  if (!rows[0]) throw new AppError("invalid_input", NOT_AN_AGENT, { agentId: [NOT_AN_AGENT] });
  return rows[0];
}

const RESOLVE_ONLY = "Only a key with secrets:resolve can be held to an environment or to names: tick that scope or clear this field.";

/**
 * What a secrets:resolve key is held to: one environment of this workspace (the
 * composite foreign key would refuse another's; this says so on the field) and
 * up to 100 names, or neither (any environment, any name).
 */
async function resolveRestrictions(tx: Tx, workspaceId: string, scopes: readonly string[], environmentId: string | null, names: readonly string[]) {
  const resolves = scopes.includes("secrets:resolve");
  if (!resolves && environmentId) throw new AppError("invalid_input", RESOLVE_ONLY, { environmentId: [RESOLVE_ONLY] });
  if (!resolves && names.length > 0) throw new AppError("invalid_input", RESOLVE_ONLY, { secretNames: [RESOLVE_ONLY] });
  const unique = [...new Set(names)];
  if (unique.length > API_KEY_SECRET_NAMES_MAX || unique.some((name) => name.length > SECRET_NAME_MAX || !SECRET_NAME.test(name))) {
    throw new AppError("invalid_input", "Check the highlighted fields.", { secretNames: [`List up to ${API_KEY_SECRET_NAMES_MAX} secret names (capital letters, digits and underscores)`] });
  }
  const environment = environmentId ? await findEnvironment(tx, workspaceId, environmentId) : null;
  return { resolves, environment, names: unique };
}

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
    /** secrets:resolve only: the one environment (null: any) and the names (empty: any) the key may resolve. */
    environmentId?: string | null;
    secretNames?: readonly string[];
    /** The one agent the key acts for (null: not bound). */
    agentId?: string | null;
    /** The key's own PII redaction, replacing the workspace's (tighter or looser; empty: none); null or absent: the workspace's. */
    piiRedaction?: readonly PiiKind[] | null;
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
  const held = await resolveRestrictions(tx, workspaceId, scopes, options.environmentId ?? null, options.secretNames ?? []);
  // Held FOR SHARE until commit: the agent cannot be archived between this check and the key's insert.
  const agent = options.agentId ? await findBindableAgent(tx, workspaceId, options.agentId) : null;

  const redaction = options.piiRedaction == null ? null : toPiiKinds(options.piiRedaction);

  const { key, prefix, hash } = generateApiKey();
  const row = await tx.apiKey.create({
    data: {
      workspaceId,
      name,
      prefix,
      keyHash: hash,
      scopes: [...scopes],
      createdById: actor.id,
      expiresAt,
      environmentId: held.environment?.id ?? null,
      secretNames: held.names,
      agentId: agent?.id ?? null,
      piiRedactionOverride: redaction !== null,
      piiRedaction: redaction ?? [],
    },
    select: { id: true },
  });
  // A resolve key's audit says what it was held to (metadata keys avoid the redacted words: "names", not "secret_names").
  const restrictions = held.resolves ? { environment: held.environment?.name ?? null, names: held.names } : {};
  await recordAuditEvent(tx, {
    workspaceId,
    actor,
    action: "api_key.created",
    context: options.context,
    target: { type: "api_key", id: row.id },
    metadata: {
      name,
      prefix,
      scopes,
      expiresAt: expiresAt?.toISOString() ?? null,
      ...restrictions,
      ...(agent ? { agent: agent.name, agent_id: agent.id } : {}),
      // Only a key with its own PII redaction says so (as the kinds, empty for none); without it the key follows the workspace's.
      ...(redaction !== null ? { pii_redaction: redaction } : {}),
    },
  });
  return { id: row.id, name, prefix, scopes: [...scopes], expiresAt: expiresAt?.toISOString() ?? null, agent: agent?.name ?? null, key };
}
