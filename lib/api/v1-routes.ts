import { z } from "zod";
import type { ApiKeyScope } from "../api-keys/scopes";
import { auditApiQuerySchema, auditPageSchema } from "../audit/schemas";
import { auditHeadQuerySchema, auditHeadSchema } from "../audit/audit-head-schema";

// Every /api/v1 route, described once. Route handlers validate with these exact
// schemas (apiRoute takes the entry) and the OpenAPI document is generated from
// them, so the two cannot drift; a test fails if a route file is missing here.

export type ApiV1Route = {
  method: "get";
  path: `/api/v1/${string}`;
  operationId: string;
  summary: string;
  description?: string;
  /** null: public, no key needed. */
  scope: ApiKeyScope | null;
  query: z.ZodObject | null;
  response: z.ZodType;
};

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
