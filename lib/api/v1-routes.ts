import { z } from "zod";
import { SMALL_JSON_BODY_MAX_BYTES } from "../http/parse-json-body";
import type { ApiKeyScope } from "../api-keys/scopes";
import { auditApiQuerySchema, auditPageSchema } from "../audit/schemas";
import { auditHeadQuerySchema, auditHeadSchema } from "../audit/audit-head-schema";
import { RESOLVE_NAMES_MAX, resolveSecretsBodySchema, resolveSecretsResponseSchema } from "../secrets/resolve-schemas";
import { platformAuditBodySchema, platformAuditResponseSchema, PLATFORM_AUDIT_EVENTS_MAX } from "../audit/platform-audit-schemas";
import { REDACT_BODY_MAX_BYTES, redactBodySchema, redactResponseSchema } from "../redaction/schemas";
import { USAGE_BODY_MAX_BYTES, USAGE_EVENTS_MAX, usageEventsBodySchema, usageEventsResponseSchema, workspaceUsageQuerySchema, workspaceUsageSchema } from "../usage/schemas";
import { agentParamsSchema, authorizationParamsSchema, authorizationSchema, authorizeSpendBodySchema, captureHoldBodySchema, settlementSchema, voidHoldBodySchema } from "../spend/schemas";

// Every /api/v1 route, described once. Route handlers validate with these exact
// schemas (apiRoute takes the entry) and the OpenAPI document is generated from
// them, so the two cannot drift; a test fails if a route file is missing here.

type RouteBase = {
  path: `/api/v1/${string}`;
  operationId: string;
  summary: string;
  description?: string;
  /** null: public, no key needed. */
  scope: ApiKeyScope | null;
  response: z.ZodType;
  /** A POST body's limit when not JSON_BODY_MAX_BYTES, 1 MiB (413 beyond it). */
  bodyMaxBytes?: number;
  /** The body may be left out (or empty): it then reads as `{}`. */
  bodyOptional?: true;
  /** Refusals particular to this route, by status, described for the OpenAPI document. */
  errors?: Partial<Record<"402" | "403" | "404" | "409" | "422" | "503", string>>;
  /** Path parameters ({agent} in the path): a value that fails the schema is a 404, as an unknown one is. */
  params?: z.ZodObject;
  /** An Idempotency-Key header is required (400 when missing or malformed). */
  idempotencyKey?: true;
  /** The status of a success: 201 when the request creates something. */
  status?: 201;
};

/** A GET takes its input from the query; a POST from a JSON body (lib/http/parse-json-body.ts) and no query. */
export type ApiV1Route = RouteBase & ({ method: "get"; query: z.ZodObject | null; body?: undefined } | { method: "post"; query: null; body: z.ZodObject });

export const API_V1 = {
  listAuditEvents: {
    method: "get",
    path: "/api/v1/audit",
    operationId: "listAuditEvents",
    summary: "List audit events, newest first",
    description:
      "The workspace's audit log with the console's filters. Pages are keyset-based: pass next_cursor back as cursor; events written meanwhile never shift a page. Each event carries its hash-chain fields.",
    scope: "audit:read",
    query: auditApiQuerySchema,
    response: auditPageSchema,
  },
  getAuditHead: {
    method: "get",
    path: "/api/v1/audit/head",
    operationId: "getAuditHead",
    summary: "The audit chain's head, signed",
    description:
      "The newest event's seq and hash, signed by the server (Ed25519). Store it outside Warden: the chain alone cannot show that its newest events were deleted, but `npm run audit:verify -- --workspace <slug> --expect-head <seq>:<hash>` reports truncation when the chain no longer holds a head you kept. Check the signature against public_key (pinned on first use) before relying on a head.",
    scope: "audit:read",
    query: auditHeadQuerySchema,
    response: auditHeadSchema,
  },
  resolveSecrets: {
    method: "post",
    bodyMaxBytes: SMALL_JSON_BODY_MAX_BYTES,
    path: "/api/v1/secrets/resolve",
    operationId: "resolveSecrets",
    summary: "Resolve secrets' current values by name",
    description: `The runtime's read: the current value of each named secret of one environment, at the moment of the call (never cache the answer: it is sent with Cache-Control: no-store). All or nothing: if any name is unknown, deleted, destroyed, or outside what the key may resolve (a key may be held to one environment and to a list of names), the answer is 404 with reason secret_unavailable naming every such name, and no value. Up to ${RESOLVE_NAMES_MAX} names per request. Each resolved name is audited as secret.accessed (the key, the name, the environment, the version; never the value), in the same transaction: if the audit write fails, nothing is returned.`,
    scope: "secrets:resolve",
    query: null,
    body: resolveSecretsBodySchema,
    response: resolveSecretsResponseSchema,
    errors: { "404": "A name is unknown, deleted, destroyed or outside the key's environment or names; error.reason is secret_unavailable and error.message names them all." },
  },
  authorizeSpend: {
    method: "post",
    bodyMaxBytes: SMALL_JSON_BODY_MAX_BYTES,
    path: "/api/v1/agents/{agent}/authorizations",
    operationId: "authorizeSpend",
    summary: "Hold an LLM call's worst-case cost against the agent's daily cap",
    description:
      "Ask before each LLM call. Warden computes the worst case (input_tokens at the input price plus max_output_tokens at the output price, per million tokens, rounded up to the micro-dollar; or estimated_cost) and, in one statement on the agent's day row, holds it only if spent + held + estimate stays within the cap. Capture the hold with the actual usage, or void it; a hold not settled within 10 minutes expires and is charged at its held amount. The Idempotency-Key header makes retries safe: the same key and body answer the same hold; the same key with another body is a 409. A key bound to an agent acts only for that agent.",
    scope: "runtime:spend",
    query: null,
    params: agentParamsSchema,
    idempotencyKey: true,
    status: 201,
    body: authorizeSpendBodySchema,
    response: authorizationSchema,
    errors: {
      "402": "budget_exhausted: nothing is left of today's cap; error.remaining and error.resets_at say how much and until when.",
      "403": "agent_archived: the agent is archived.",
      "404": "No such agent, or one this key may not act for.",
      "409": "idempotency_key_reused: the key was used with another body; or agent_paused.",
      "422":
        "request_exceeds_budget (retry with max_output_tokens at most error.max_affordable_output_tokens), or unpriced_model (no price for the model, and the agent denies unpriced models or no estimated_cost was given).",
      "503": "The database cannot be reached: nothing is authorized; retry later.",
    },
  },
  captureAuthorization: {
    method: "post",
    bodyMaxBytes: SMALL_JSON_BODY_MAX_BYTES,
    path: "/api/v1/authorizations/{id}/capture",
    operationId: "captureAuthorization",
    summary: "Settle a hold to the call's actual cost",
    description:
      "Charges the actual cost (tokens at the model's price on the hold's day, or cost) to the agent's day the hold was taken on, and releases the rest of the hold. If the actual cost is above the hold, the actual cost is charged (the provider billed it). For a model without a price, cost is taken as given and never below the hold when it is zero or absent. Safe to repeat: a settled hold answers its settlement unchanged. A hold unsettled after 10 minutes has expired, charged at its held amount: the answer is 200 with state expired.",
    scope: "runtime:spend",
    query: null,
    params: authorizationParamsSchema,
    body: captureHoldBodySchema,
    response: settlementSchema,
    errors: { "404": "No such hold, or one this key may not act for.", "409": "hold_voided: the hold was voided.", "503": "The database cannot be reached." },
  },
  voidAuthorization: {
    method: "post",
    bodyMaxBytes: SMALL_JSON_BODY_MAX_BYTES,
    path: "/api/v1/authorizations/{id}/void",
    operationId: "voidAuthorization",
    summary: "Release a hold whose call was not made (no body needed)",
    description:
      "Releases the whole hold. Safe to repeat. A hold already captured is not released (409 hold_captured); one unsettled after 10 minutes has expired and stays charged at its held amount (the call may have been billed): the answer is 200 with state expired.",
    scope: "runtime:spend",
    query: null,
    params: authorizationParamsSchema,
    bodyOptional: true,
    body: voidHoldBodySchema,
    response: settlementSchema,
    errors: { "404": "No such hold, or one this key may not act for.", "409": "hold_captured: the hold was already captured.", "503": "The database cannot be reached." },
  },
  ingestUsageEvents: {
    method: "post",
    path: "/api/v1/usage/events",
    operationId: "ingestUsageEvents",
    summary: "Report what agents did: conversations, turns, LLM calls, tool invocations",
    description: `A batch of up to ${USAGE_EVENTS_MAX} events (body at most ${USAGE_BODY_MAX_BYTES} bytes), all or nothing. Each event has the runtime's own id, unique in the workspace: an event whose id is already stored (a retry) is counted once and reported in duplicates, never stored again. The agent's daily rollups (its day in its own time zone) grow in the same transaction by the newly stored events only. An llm.call without a cost is priced at the model's price on its day. An llm.call with an authorization_id captures that hold at the call's cost (its held amount when the call has none, or is unpriced and reported at zero), once: a retried event, or a hold already settled, changes nothing. An llm.call without an authorization_id is charged to the agent's day all the same, where its cap sees it. A key bound to an agent may report only that agent's events.`,
    scope: "runtime:usage",
    query: null,
    body: usageEventsBodySchema,
    bodyMaxBytes: USAGE_BODY_MAX_BYTES,
    response: usageEventsResponseSchema,
    errors: {
      "403": "agent_not_allowed: the key is bound to another agent; error.message names the agents it may not report for.",
      "404":
        "agent_not_found: an agent id is not one of the workspace's; authorization_not_found: an authorization_id is not a hold of the event's agent. error.message names them all and nothing was stored.",
    },
  },
  recordPlatformAuditEvents: {
    method: "post",
    bodyMaxBytes: SMALL_JSON_BODY_MAX_BYTES,
    path: "/api/v1/audit/events",
    operationId: "recordPlatformAuditEvents",
    summary: "Record the platform's own changes in the audit log",
    description: `Up to ${PLATFORM_AUDIT_EVENTS_MAX} events, appended in order to the workspace's hash-chained log, with the key as actor and the agent in the metadata. Actions are a fixed namespace (platform.*). Metadata is a flat object of at most 20 short values; keys that look like credentials are redacted.`,
    scope: "audit:write",
    query: null,
    body: platformAuditBodySchema,
    response: platformAuditResponseSchema,
    errors: {
      "403": "agent_not_allowed: the key is bound to another agent.",
      "404": "agent_not_found: an agent id is not one of the workspace's.",
    },
  },
  redactText: {
    method: "post",
    path: "/api/v1/redact",
    operationId: "redactText",
    summary: "Redact PII from a text under the workspace's and the key's policy",
    description: `Scrub a prompt before sending it upstream: e-mail addresses, US SSNs, phone numbers and Luhn-valid card numbers become [REDACTED:<kind>], for the kinds the workspace's PII redaction names (Settings), or the key's own list when the key overrides it. Nothing is stored. Body at most ${REDACT_BODY_MAX_BYTES} bytes. With redaction off, the text comes back as sent and kinds is empty.`,
    scope: "runtime:usage",
    query: null,
    body: redactBodySchema,
    bodyMaxBytes: REDACT_BODY_MAX_BYTES,
    response: redactResponseSchema,
  },
  getWorkspaceUsage: {
    method: "get",
    path: "/api/v1/workspaces/usage",
    operationId: "getWorkspaceUsage",
    summary: "Usage per agent and per day",
    description:
      "Conversations, turns, LLM calls, tokens, tool invocations and cost (dollars as decimal strings) per agent and per agent day (each agent's day is in its own zone) for a window of at most 400 days, and the conversations started in the rolling 30 days up to now.",
    scope: "usage:read",
    query: workspaceUsageQuerySchema,
    response: workspaceUsageSchema,
  },
  openApiDocument: {
    method: "get",
    path: "/api/v1/openapi.json",
    operationId: "getOpenApiDocument",
    summary: "This API's OpenAPI 3.1 document",
    scope: null,
    query: null,
    response: z.record(z.string(), z.unknown()),
  },
} as const satisfies Record<string, ApiV1Route>;
