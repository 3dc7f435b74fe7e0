import { z } from "zod";
import type { ApiKeyScope } from "../api-keys/scopes";
import { auditApiQuerySchema, auditPageSchema } from "../audit/schemas";
import { auditHeadQuerySchema, auditHeadSchema } from "../audit/audit-head-schema";
import { RESOLVE_NAMES_MAX, resolveSecretsBodySchema, resolveSecretsResponseSchema } from "../secrets/resolve-schemas";

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
  /** Refusals particular to this route, by status, described for the OpenAPI document. */
  errors?: Partial<Record<"404" | "409", string>>;
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
    path: "/api/v1/secrets/resolve",
    operationId: "resolveSecrets",
    summary: "Resolve secrets' current values by name",
    description:
      `The runtime's read: the current value of each named secret of one environment, at the moment of the call (never cache the answer: it is sent with Cache-Control: no-store). All or nothing: if any name is unknown, deleted, destroyed, or outside what the key may resolve (a key may be held to one environment and to a list of names), the answer is 404 with reason secret_unavailable naming every such name, and no value. Up to ${RESOLVE_NAMES_MAX} names per request. Each resolved name is audited as secret.accessed (the key, the name, the environment, the version; never the value), in the same transaction: if the audit write fails, nothing is returned.`,
    scope: "secrets:resolve",
    query: null,
    body: resolveSecretsBodySchema,
    response: resolveSecretsResponseSchema,
    errors: { "404": "A name is unknown, deleted, destroyed or outside the key's environment or names; error.reason is secret_unavailable and error.message names them all." },
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
